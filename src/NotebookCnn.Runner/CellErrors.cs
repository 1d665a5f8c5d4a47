using System.Diagnostics;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Scripting;

namespace NotebookCnn.Runner;

/// <summary>
/// Turns what went wrong in a cell into an nbformat error output that says where: the exception
/// type, its message, and the line inside the cell.
/// </summary>
public static class CellErrors
{
    /// <summary>Adds the error output for <paramref name="exception"/>, thrown while running <paramref name="fileName"/> of <paramref name="cell"/>.</summary>
    public static void Report(CellOutputs cell, Exception exception, string fileName, string where)
    {
        exception = Unwrap(exception);
        if (exception is CompilationErrorException compile)
        {
            var lines = compile.Diagnostics
                .Where(d => d.Severity == DiagnosticSeverity.Error)
                .Select(d => $"{where}, line {d.Location.GetLineSpan().StartLinePosition.Line + 1}: {d.Id}: {d.GetMessage()}")
                .ToList();
            cell.AddError("CompilationError", lines.Count > 0 ? lines[0] : compile.Message, lines);
            return;
        }

        string type = exception.GetType().FullName ?? exception.GetType().Name;
        var traceback = new List<string> { $"{type}: {exception.Message}" };
        traceback.Add(ScriptLine(exception) is var (file, line) ? $"   at {Describe(file, fileName, where)}, line {line}" : $"   in {where}");
        traceback.AddRange(LibraryFrames(exception));
        cell.AddError(type, exception.Message, traceback);
    }

    /// <summary>The error name of a cell stopped by its host (a kernel's interrupt).</summary>
    public const string Interrupted = "Interrupted";

    /// <summary>
    /// Adds the error output of a cell its host stopped: <see cref="Interrupted"/>, where it stopped, and what the stop
    /// raised in it (<paramref name="exception"/>; null when the cell was abandoned without reaching an exception).
    /// </summary>
    public static void ReportInterrupted(CellOutputs cell, string where, Exception? exception, string fileName)
    {
        var traceback = new List<string>();
        string message = $"{where} was interrupted; the variables of earlier cells are kept.";
        if (exception is not null)
        {
            exception = Unwrap(exception);
            string at = ScriptLine(exception) is var (file, line)
                ? file == fileName ? $" at line {line}" : $" in {Describe(file, fileName, where)}, line {line}"
                : "";
            message = $"{where} was interrupted{at}; the variables of earlier cells are kept.";
            traceback.Add($"{Interrupted}: {message}");
            traceback.Add($"   ({exception.GetType().FullName}: {exception.Message})");
        }
        else
        {
            traceback.Add($"{Interrupted}: {message}");
        }
        cell.AddError(Interrupted, message, traceback);
    }

    /// <summary>A plain error naming the cell (unsupported directive, unknown package, missing file).</summary>
    public static void Report(CellOutputs cell, string name, string message) =>
        cell.AddError(name, message, [$"{name}: {message}"]);

    /// <summary>
    /// The innermost line of notebook code on the exception's stack: the cell's own line, or a line of
    /// an earlier cell or imported file whose method the cell called.
    /// </summary>
    public static (string File, int Line)? ScriptLine(Exception exception)
    {
        foreach (var frame in new StackTrace(exception, fNeedFileInfo: true).GetFrames())
        {
            if (frame.GetFileName() is string file && frame.GetFileLineNumber() > 0 && IsScriptCode(frame.GetMethod()?.DeclaringType))
                return (file, frame.GetFileLineNumber());
        }
        return null;
    }

    // Script code is compiled into "Submission#N" classes (and classes nested in them).
    private static bool IsScriptCode(Type? type)
    {
        for (; type is not null; type = type.DeclaringType)
        {
            if (type.Name.StartsWith("Submission#", StringComparison.Ordinal)) return true;
        }
        return false;
    }

    private static string Describe(string file, string currentFile, string where)
    {
        if (file == currentFile) return where;
        var cell = System.Text.RegularExpressions.Regex.Match(Path.GetFileName(file), @"^cell-(\d+)\.csx$");
        return cell.Success ? $"cell {cell.Groups[1].Value}" : Path.GetFileName(file);
    }

    // Frames in the library the cell called (e.g. NotebookCnn.Tensor.Reshape), which tell a student
    // what rejected the input; the scripting machinery's own frames are noise.
    private static IEnumerable<string> LibraryFrames(Exception exception) =>
        (exception.StackTrace ?? "")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .TakeWhile(frame => !frame.Contains("Submission#", StringComparison.Ordinal))
            .Select(frame => "   " + frame);

    private static Exception Unwrap(Exception exception)
    {
        while (true)
        {
            switch (exception)
            {
                case TargetInvocationException { InnerException: { } inner }:
                    exception = inner;
                    continue;
                case AggregateException { InnerExceptions.Count: 1 } aggregate:
                    exception = aggregate.InnerExceptions[0];
                    continue;
                default:
                    return exception;
            }
        }
    }
}
