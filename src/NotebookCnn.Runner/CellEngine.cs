using NotebookCnn.Runner.Formatting;

namespace NotebookCnn.Runner;

/// <summary>
/// The one cell engine behind every front door (<c>nbcnn run</c>, <c>nbcnn kernel</c>, grading): one C#
/// scripting session, the directives the .NET Interactive kernel understands (<c>#r "path"</c>,
/// <c>#r "nuget: …"</c> for the packages nbcnn carries, <c>#!import file.cs</c>), <c>display(x)</c> with
/// updatable handles, and a cell's last value shown with the kernel's formatter. A front door decides when
/// cells run and where their outputs go; how a cell runs is decided here only.
/// </summary>
public sealed class CellEngine
{
    private CellOutputs? _current;

    /// <summary>Starts an empty session whose relative <c>#r</c> and <c>#!import</c> paths resolve against <paramref name="directory"/>.</summary>
    public CellEngine(string directory)
    {
        Directory = Path.GetFullPath(directory);
        Formatters.EnsureRegistered();
        Session = new ScriptSession(new ScriptGlobals(() => _current));
        // display(...) is a static of Microsoft.DotNet.Interactive.Kernel, as in the kernel; it shows in the
        // cell this engine runs.
        Microsoft.DotNet.Interactive.Kernel.Current = Session.Globals;
    }

    /// <summary>The folder relative paths resolve against (the notebook's folder).</summary>
    public string Directory { get; }

    /// <summary>The scripting session: variables, methods and usings of the cells run so far.</summary>
    public ScriptSession Session { get; }

    /// <summary>
    /// The outputs that <c>display(...)</c> and the console write to: the running cell's, or null between
    /// cells. A front door sets it when a cell starts and clears it when the cell is over (or abandoned).
    /// </summary>
    public CellOutputs? Current
    {
        get => Volatile.Read(ref _current);
        set => Volatile.Write(ref _current, value);
    }

    /// <summary>
    /// Runs one cell's source (directives, then code) into <paramref name="outputs"/>: its value as an
    /// <c>execute_result</c> numbered <paramref name="executionCount"/>, an error as an error output.
    /// <paramref name="where"/> names the cell in messages ("cell 3"); <paramref name="fileName"/> names its
    /// code in stack traces. Never throws for the cell's own faults. A front door that can stop a cell (a kernel's
    /// interrupt) cancels <paramref name="cancellationToken"/>; a cell that then fails is reported as
    /// <c>Interrupted</c> rather than with the exception the stop caused.
    /// </summary>
    public async Task RunCellAsync(CellDirectives cell, CellOutputs outputs, int executionCount, string where, string fileName,
        CancellationToken cancellationToken = default)
    {
        try
        {
            if (!await ApplyDirectivesAsync(cell, outputs, where, Directory).ConfigureAwait(false)) return;
            if (string.IsNullOrWhiteSpace(cell.Code)) return;

            var result = await Session.RunAsync(cell.Code, fileName, cancellationToken).ConfigureAwait(false);
            if (result.Exception is not null)
                ReportFailure(outputs, result.Exception, fileName, where, cancellationToken);
            else if (result.HasValue)
                outputs.AddResult(executionCount, ValueFormatter.Format(result.ReturnValue));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            ReportFailure(outputs, e, fileName, where, cancellationToken);
        }
    }

    private static void ReportFailure(CellOutputs outputs, Exception exception, string fileName, string where, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
            CellErrors.ReportInterrupted(outputs, where, exception, fileName);
        else
            CellErrors.Report(outputs, exception, fileName, where);
    }

    /// <summary>Runs a cell's directives in order; false (with an error output) when one fails.</summary>
    private async Task<bool> ApplyDirectivesAsync(CellDirectives cell, CellOutputs outputs, string where, string baseDirectory)
    {
        foreach (var directive in cell.Directives)
        {
            string at = $"{where}, line {directive.Line}";
            switch (directive.Kind)
            {
                case DirectiveKind.ReferencePath:
                    string path = Path.GetFullPath(Path.Combine(baseDirectory, directive.Value));
                    if (!File.Exists(path))
                    {
                        CellErrors.Report(outputs, "FileNotFoundError", $"{at}: {directive.Text}: no assembly at {path}.");
                        return false;
                    }
                    Session.AddReference(path);
                    break;

                case DirectiveKind.ReferencePackage:
                    // Plotly.NET.Interactive only adds the kernel's chart formatter; nbcnn has its own.
                    if (CarriedPackages.Satisfied.Contains(directive.Value)) break;
                    if (!CarriedPackages.All.TryGetValue(directive.Value, out var package))
                    {
                        CellErrors.Report(outputs, "PackageNotCarriedError",
                            $"{at}: package '{directive.Value}' is not carried by nbcnn (it cannot download packages). "
                            + $"It carries: {string.Join(", ", CarriedPackages.All.Keys.Order(StringComparer.Ordinal))}.");
                        return false;
                    }
                    foreach (string file in package.Assemblies) Session.AddReference(CarriedPackages.PathOf(file));
                    if (directive.Version is string wanted && wanted != package.Version)
                        outputs.AddNote($"{package.Name} {wanted} requested; using the {package.Version} nbcnn carries.");
                    break;

                case DirectiveKind.PackageSource:
                    outputs.AddNote($"{directive.Text} ignored: nbcnn uses only the packages it carries.");
                    break;

                case DirectiveKind.Import:
                    if (!await ImportAsync(directive, outputs, at, baseDirectory).ConfigureAwait(false)) return false;
                    break;

                default:
                    CellErrors.Report(outputs, "NotSupportedError",
                        $"{at}: {directive.Text} is not supported by nbcnn (it runs C# code, #r, #i, #!import and #!csharp).");
                    return false;
            }
        }
        return true;
    }

    private async Task<bool> ImportAsync(Directive directive, CellOutputs outputs, string at, string baseDirectory)
    {
        string path = Path.GetFullPath(Path.Combine(baseDirectory, directive.Value));
        string extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension is not (".cs" or ".csx"))
        {
            CellErrors.Report(outputs, "NotSupportedError", $"{at}: {directive.Text}: nbcnn imports only .cs and .csx files.");
            return false;
        }
        if (!File.Exists(path))
        {
            CellErrors.Report(outputs, "FileNotFoundError", $"{at}: {directive.Text}: no file at {path}.");
            return false;
        }

        var imported = CellDirectives.Parse(await File.ReadAllTextAsync(path).ConfigureAwait(false));
        string where = Path.GetFileName(path);
        if (!await ApplyDirectivesAsync(imported, outputs, where, Path.GetDirectoryName(path)!).ConfigureAwait(false)) return false;
        try
        {
            var result = await Session.RunAsync(imported.Code, path).ConfigureAwait(false);
            if (result.Exception is null) return true;
            CellErrors.Report(outputs, result.Exception, path, where);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            CellErrors.Report(outputs, e, path, where);
        }
        return false;
    }
}
