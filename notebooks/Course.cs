// Course.cs: the course setup every chapter imports with `#!import Course.cs`, right after loading the
// library and Plotly.NET. It runs the same in every host the course supports: the .NET Interactive kernel
// (VS Code, JupyterLab), the nbcnn kernel and `nbcnn run`.
//
// It does three things:
//  1. Plotly.NET 6 was built against FSharp.Core 10.1, but the .NET Interactive kernel has already loaded its
//     own FSharp.Core 10.0 before any notebook code runs, and .NET will not load a second copy into the same
//     context. Without help the first chart fails with "Could not load file or assembly 'FSharp.Core,
//     Version=10.1.0.0'". The handler below answers that request with the FSharp.Core already loaded; the
//     parts of FSharp.Core that Plotly.NET uses are the same in both versions.
//  2. It tells the notebook how to show the library's objects. Without it, a cell ending in a Dataset would be
//     shown as a tree of every property, all 6 million pixel values included; with it, a tensor shows its shape
//     and its first values as a small table, and a network, a training history, a dataset or a gradient-check
//     report shows the text the library writes for students.
//  3. It gives every chapter the same check helpers (the end of this file):
//     - Check(ok, what, hint): an exercise check. It tests the student's own code and must hold for any parameter
//       values; a FAIL line gives a hint, never the expected value.
//     - Defaults((name, value, default), …), called once in the cell right after the parameters cell, records whether
//       every parameter still has its default value. The defaults are written out there a second time on purpose:
//       whether a value came from `nbcnn run -p`, from a kernel's injected cell or from a student editing the
//       parameters cell inline, the comparison is made against the chapter's own defaults.
//     - Expect(ok, what, target, actual): an expectation about what the default parameters reach. With the defaults it
//       prints PASS or FAIL; with other values it prints a NOTE with the default's target beside the student's result.
//     - Digest(value): a short fingerprint of an answer, so a check can compare against a value the student cannot read.

#nullable enable
// Only `using NotebookCnn;` and one alias here: the usings of an imported file stay in force in every later cell, so
// the other names are written out in full.
using NotebookCnn;
using Formatter = Microsoft.DotNet.Interactive.Formatting.Formatter;

/// <summary>The course's one-time notebook setup (see the top of Course.cs).</summary>
public static class Course
{
    // Re-running the setup cell compiles this file again as a new class: a process-wide flag keeps the
    // handler and the formatters from being added twice.
    const string SetUpKey = "NotebookCnn.Course.SetUp";

    /// <summary>Binds FSharp.Core to the loaded copy and registers the library's formatters, once per process.</summary>
    public static void SetUp()
    {
        if (System.AppDomain.CurrentDomain.GetData(SetUpKey) is true) return;
        System.AppDomain.CurrentDomain.SetData(SetUpKey, true);
        System.Runtime.Loader.AssemblyLoadContext.Default.Resolving += UseLoadedFSharpCore;
        RegisterFormatters();
    }

    static System.Reflection.Assembly? UseLoadedFSharpCore(System.Runtime.Loader.AssemblyLoadContext context, System.Reflection.AssemblyName wanted) =>
        wanted.Name == "FSharp.Core"
            ? System.AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == "FSharp.Core")
            : null;

    static void RegisterFormatters()
    {
        // A tensor: its shape and a matrix view of its first values (TensorText elides the rest).
        Formatter.Register(typeof(Tensor), (value, writer) =>
            writer.Write(Preformatted($"Tensor {Tensor.FormatShape(((Tensor)value).Shape)}\n{TensorText.Format((Tensor)value)}")), HtmlMimeType);
        Formatter.Register(typeof(Tensor), (value, writer) => writer.Write(value.ToString()), PlainTextMimeType);

        // Every other library type that writes its own text for students (layers, Sequential's layer table,
        // training histories, datasets, optimizers, gradient-check reports) is shown as that text.
        foreach (var type in typeof(Tensor).Assembly.GetExportedTypes().Where(WritesOwnText))
        {
            Formatter.Register(type, (value, writer) => writer.Write(Preformatted(value.ToString() ?? "")), HtmlMimeType);
            Formatter.Register(type, (value, writer) => writer.Write(value.ToString()), PlainTextMimeType);
        }
    }

    const string HtmlMimeType = "text/html";
    const string PlainTextMimeType = "text/plain";

    static bool WritesOwnText(System.Type type) =>
        type != typeof(Tensor) && !type.IsAbstract && !type.IsGenericTypeDefinition
        && type.GetMethod("ToString", System.Type.EmptyTypes)?.DeclaringType is { } declaring
        && declaring != typeof(object) && declaring.Assembly == type.Assembly;

    static string Preformatted(string text) => "<pre class=\"nbcnn-text\">" + System.Net.WebUtility.HtmlEncode(text) + "</pre>";
}

/// <summary>The state behind the check helpers: which parameters differ from their defaults.</summary>
public static class Checks
{
    /// <summary>The parameters that differ from their defaults, as <c>name = value instead of default</c>; null before <see cref="RecordDefaults"/> ran.</summary>
    public static System.Collections.Generic.IReadOnlyList<string>? Changed { get; private set; }

    /// <summary>True when the chapter recorded its defaults and every parameter still has its default value.</summary>
    public static bool AtDefaults => Changed is { Count: 0 };

    /// <summary>Compares each parameter's value with its default (numbers after converting the default to the value's type).</summary>
    public static void RecordDefaults((string Name, object Value, object Default)[] parameters)
    {
        var changed = new System.Collections.Generic.List<string>();
        foreach (var (name, value, defaultValue) in parameters)
        {
            if (value is null || defaultValue is null)
                throw new System.ArgumentException($"Defaults: parameter '{name}' needs a value and a default, got {value ?? "null"} and {defaultValue ?? "null"}.");
            object sameType = value is System.IConvertible && defaultValue is System.IConvertible && value.GetType() != defaultValue.GetType()
                ? System.Convert.ChangeType(defaultValue, value.GetType(), System.Globalization.CultureInfo.InvariantCulture)
                : defaultValue;
            if (!value.Equals(sameType)) changed.Add($"{name} = {Text(value)} instead of {Text(defaultValue)}");
        }
        Changed = changed;
    }

    /// <summary>Prints <c>PASS: what</c> or <c>FAIL: what — hint</c>.</summary>
    public static void Exercise(bool ok, string what, string hint) =>
        System.Console.WriteLine(ok ? $"PASS: {what}" : $"FAIL: {what} — {hint}");

    /// <summary>
    /// With the defaults: <c>PASS: what target (got actual)</c> or <c>FAIL: …</c>. With other parameter values:
    /// <c>NOTE: what: with the defaults this reaches target; your settings gave actual (…changed parameters…)</c>.
    /// </summary>
    public static void Expectation(bool ok, string what, string target, object actual)
    {
        var changed = Changed ?? throw new System.InvalidOperationException(
            "Expect needs the chapter's defaults: run the cell after the parameters cell (it calls Defaults(...)) first.");
        string got = Text(actual);
        if (changed.Count > 0)
            System.Console.WriteLine($"NOTE: {what}: with the defaults this reaches {target}; your settings gave {got} ({string.Join(", ", changed)})");
        else
            System.Console.WriteLine(ok ? $"PASS: {what} {target} (got {got})"
                                        : $"FAIL: {what}: with the default parameters this should reach {target}, got {got}");
    }

    /// <summary>The first 12 hex digits of the SHA-256 of the value's invariant text (a float 37 and an int 37 give the same digest).</summary>
    public static string Digest(object value)
    {
        string text = Text(value);
        byte[] hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text));
        return System.Convert.ToHexString(hash, 0, 6).ToLowerInvariant();
    }

    static string Text(object? value) => value switch
    {
        null => "null",
        string s => s,
        float f => f.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        System.IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}

/// <summary>
/// A training run's progress as one line in the notebook that updates in place (every 10 minibatches): epoch, iteration,
/// loss, the last evaluation and the time left, then a closing line. Give it to the trainer:
/// <c>trainer.Fit(train, epochs, test, showProgress: false, observer: new NotebookProgress("MNIST", epochs))</c>.
/// (Outside a notebook, Fit's own console bar does the same.)
/// </summary>
public sealed class NotebookProgress : ITrainingObserver
{
    readonly string title;
    readonly int epochs;
    readonly System.Action<object> show;   // updates the one displayed line
    string lastEpoch = "";

    /// <summary>Shows "<paramref name="title"/>: starting…" at once; <paramref name="epochs"/> is the run's epoch count.</summary>
    public NotebookProgress(string title, int epochs)
    {
        (this.title, this.epochs) = (title, epochs);
        show = display($"{title}: starting…").Update;
    }

    /// <summary>Every 10th minibatch: where the run is, its latest loss and an estimate of the time left.</summary>
    public void OnIteration(IterationInfo it)
    {
        if (it.Iteration % 10 != 0) return;
        double secondsLeft = it.ElapsedSeconds / it.Iteration * (it.TotalIterations - it.Iteration);
        show($"{title} · epoch {it.Epoch}/{epochs} · iteration {it.Iteration}/{it.TotalIterations} · loss {it.Loss:0.0000}{lastEpoch} · ETA {secondsLeft:0} s");
    }

    /// <summary>Keeps the latest evaluation for the line.</summary>
    public void OnEpoch(EpochInfo e) =>
        lastEpoch = $" · after epoch {e.Epoch}: train {e.TrainAccuracy:P1}" + (e.ValidationAccuracy is float v ? $", test {v:P1}" : "");

    /// <summary>The closing line: epochs, iterations and time.</summary>
    public void OnEnd(TrainingHistory history) =>
        show($"{title}: done, {history.Epochs} epoch{(history.Epochs == 1 ? "" : "s")} ({history.Iterations} iterations) in {history.ElapsedSeconds[^1]:0.0} s{lastEpoch}");
}

/// <summary>Exercise check: prints <c>PASS: what</c>, or <c>FAIL: what — hint</c>. The hint must not give the expected value away.</summary>
static void Check(bool ok, string what, string hint) => Checks.Exercise(ok, what, hint);

/// <summary>Records the chapter's defaults; call it once, in the cell right after the parameters cell.</summary>
static void Defaults(params (string Name, object Value, object Default)[] parameters) => Checks.RecordDefaults(parameters);

/// <summary>Expectation about default-parameter results: PASS/FAIL at the defaults, a NOTE with other values.</summary>
static void Expect(bool ok, string what, string target, object actual) => Checks.Expectation(ok, what, target, actual);

/// <summary>A short fingerprint of an answer (see <see cref="Checks.Digest"/>): <c>Check(Digest(x) == "…", …)</c>.</summary>
static string Digest(object value) => Checks.Digest(value);

/// <summary>
/// The fastest of three runs of <paramref name="run"/>, in milliseconds: other programs on the computer only ever make a
/// run slower, so the minimum is the fairest measure. Run the code once before timing it, so that compiling it is not counted.
/// </summary>
static double BestOfThreeMs(System.Action run)
{
    double best = double.MaxValue;
    for (int i = 0; i < 3; i++)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        run();
        best = System.Math.Min(best, watch.Elapsed.TotalMilliseconds);
    }
    return best;
}

Course.SetUp();
