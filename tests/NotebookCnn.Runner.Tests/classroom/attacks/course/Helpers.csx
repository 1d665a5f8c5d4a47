// The course's check helper, imported by the setup cell (as notebooks/Course.cs is in the chapters).
static void Check(bool ok, string what, string hint) => Console.WriteLine(ok ? $"PASS: {what}" : $"FAIL: {what} — {hint}");
