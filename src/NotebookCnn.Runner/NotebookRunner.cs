using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using NotebookCnn.Runner.Formatting;
using NotebookCnn.Runner.Html;

namespace NotebookCnn.Runner;

/// <summary>
/// Runs a notebook's C# cells top to bottom in one scripting session, as the notebook kernel would,
/// and records their outputs into an executed copy.
/// </summary>
public static class NotebookRunner
{
    // Console redirection and the working directory are process-wide: one notebook at a time.
    private static readonly SemaphoreSlim OneAtATime = new(1, 1);

    /// <summary>
    /// Runs the notebook file at <paramref name="path"/> and writes <c>OUT/&lt;name&gt;.ipynb</c> and
    /// <c>OUT/&lt;name&gt;.html</c>. Throws <see cref="RunnerException"/> before running anything if the
    /// output would overwrite the input or a parameter is wrong.
    /// </summary>
    public static async Task<NotebookResult> RunFileAsync(string path, RunOptions options)
    {
        var (notebook, input, notebookPath, htmlPath) = Prepare(path, options);
        string name = Path.GetFileNameWithoutExtension(input);
        var result = await ExecuteAsync(notebook, Path.GetDirectoryName(input)!, name, options).ConfigureAwait(false);
        Directory.CreateDirectory(Path.GetDirectoryName(notebookPath)!);
        result.Executed.Save(notebookPath);
        var page = HtmlPageOptions.Default with { Course = CourseLinksOf(input, options.Course) };
        Notebook.WriteAtomically(htmlPath, HtmlPage.Render(result.Executed.Root, PageTitle(result.Executed, name), page));
        return result with { NotebookPath = notebookPath, HtmlPath = htmlPath };
    }

    /// <summary>
    /// Everything <see cref="RunFileAsync"/> checks before it runs a cell: the notebook exists and parses, the output
    /// would not overwrite it, and the parameters name its variables with values of their types inside their ranges.
    /// Throws <see cref="RunnerException"/> saying what is wrong; a folder's run checks every notebook this way first.
    /// </summary>
    public static void Check(string path, RunOptions options) => Prepare(path, options);

    private static (Notebook Notebook, string Input, string NotebookPath, string HtmlPath) Prepare(string path, RunOptions options)
    {
        string input = Path.GetFullPath(path);
        if (!File.Exists(input)) throw new RunnerException($"No notebook at {input}.");
        string name = Path.GetFileNameWithoutExtension(input);
        string outDirectory = Path.GetFullPath(options.OutputDirectory);
        string notebookPath = Path.Combine(outDirectory, name + ".ipynb");
        string htmlPath = Path.Combine(outDirectory, name + ".html");
        if (SamePath(notebookPath, input))
            throw new RunnerException($"Refusing to write over the input {input}: choose another --out folder.");

        Notebook notebook;
        try
        {
            notebook = Notebook.Load(input);
        }
        catch (InvalidDataException e)
        {
            throw new RunnerException(e.Message);
        }
        // The same injection the run makes, on a copy: a wrong parameter is refused before any cell runs.
        var copy = notebook.Clone();
        copy.UpgradeToCurrentFormat();
        try
        {
            InjectParameters(copy, options.Parameters);
        }
        catch (RunnerException e)
        {
            throw new RunnerException($"{name}.ipynb: {e.Message}");
        }
        return (notebook, input, notebookPath, htmlPath);
    }

    /// <summary>
    /// Runs <paramref name="notebook"/> (not modified) with <paramref name="directory"/> as working
    /// directory and base of relative paths, and returns the executed copy. Writes nothing to disk.
    /// </summary>
    public static async Task<NotebookResult> ExecuteAsync(Notebook notebook, string directory, string name, RunOptions options)
    {
        var executed = notebook.Clone();
        executed.UpgradeToCurrentFormat();
        InjectParameters(executed, options.Parameters);

        await OneAtATime.WaitAsync().ConfigureAwait(false);
        string previousDirectory = Environment.CurrentDirectory;
        var run = new NotebookRun(executed, Path.GetFullPath(directory), options);
        try
        {
            Environment.CurrentDirectory = run.Directory;
            using var capture = new OutputCapture(() => run.Current);
            return await run.RunAsync(name, options.Log ?? capture.OriginalError).ConfigureAwait(false);
        }
        finally
        {
            Environment.CurrentDirectory = previousDirectory;
            OneAtATime.Release();
        }
    }

    /// <summary>
    /// Inserts the <c>injected-parameters</c> cell after the cell tagged <c>parameters</c> (replacing one
    /// left from an earlier run). Throws <see cref="RunnerException"/> for an unknown name.
    /// </summary>
    public static void InjectParameters(Notebook notebook, IReadOnlyList<KeyValuePair<string, string>> values)
    {
        var cells = notebook.Cells;
        for (int i = cells.Count - 1; i >= 0; i--)
        {
            if (Notebook.TagsOf((JsonObject)cells[i]!).Contains(Parameters.InjectedTag)) cells.RemoveAt(i);
        }
        if (values.Count == 0) return;

        int index = -1;
        for (int i = 0; i < cells.Count && index < 0; i++)
        {
            var cell = (JsonObject)cells[i]!;
            if (cell["cell_type"]?.GetValue<string>() == "code" && Notebook.TagsOf(cell).Contains(Parameters.Tag)) index = i;
        }
        if (index < 0)
            throw new RunnerException(
                $"-p {values[0].Key}=… given, but no code cell is tagged 'parameters' (add the tag in the cell's metadata).");

        var parametersCell = (JsonObject)cells[index]!;
        var declared = Parameters.Declared(CellDirectives.Parse(Notebook.SourceOf(parametersCell)).Code);
        string source = Parameters.InjectedSource(declared, values);

        var metadata = parametersCell["metadata"]?.DeepClone() as JsonObject ?? new JsonObject();
        metadata["tags"] = new JsonArray(Parameters.InjectedTag);
        var used = new HashSet<string>(cells.Select(c => c?["id"]?.GetValue<string>() ?? ""), StringComparer.Ordinal);
        cells.Insert(index + 1, new JsonObject
        {
            ["cell_type"] = "code",
            ["execution_count"] = null,
            ["id"] = Notebook.UniqueId(Parameters.InjectedTag, used),
            ["metadata"] = metadata,
            ["outputs"] = new JsonArray(),
            ["source"] = Notebook.SplitLines(source),
        });
    }

    /// <summary>
    /// Writes <c>index.html</c> in <paramref name="outputDirectory"/>: the table of the chapters in
    /// <paramref name="results"/> (pages written by <see cref="RunFileAsync"/>). Returns its path.
    /// </summary>
    public static string WriteIndex(IReadOnlyList<NotebookResult> results, string outputDirectory)
    {
        var entries = results.Select(r => new CourseIndexEntry(
            Path.GetFileName(r.HtmlPath ?? r.Name + ".html"), ChapterInfo.Of(r.Executed.Root, r.Name),
            r.Passed, r.Failures.Count, r.Errors, r.Elapsed)).ToList();
        string path = Path.Combine(Path.GetFullPath(outputDirectory), "index.html");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        Notebook.WriteAtomically(path, CourseIndex.Render(entries, "NotebookCnn course"));
        return path;
    }

    // The previous and next notebooks of a course run (pages written beside this one), by their titles.
    private static CourseLinks? CourseLinksOf(string input, IReadOnlyList<string> course)
    {
        var full = course.Select(Path.GetFullPath).ToList();
        int at = full.IndexOf(input);
        if (at < 0) return null;
        (string, string)? Link(int i) => i < 0 || i >= full.Count ? null
            : (Path.GetFileNameWithoutExtension(full[i]) + ".html", TitleOf(full[i]));
        return new CourseLinks(Link(at - 1), Link(at + 1));
    }

    private static string TitleOf(string notebookPath)
    {
        string name = Path.GetFileNameWithoutExtension(notebookPath);
        try
        {
            return ChapterInfo.Of(Notebook.Load(notebookPath).Root, name).Title;
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            return name;
        }
    }

    /// <summary>The page title: the notebook's first <c># </c> heading, or its file name.</summary>
    private static string PageTitle(Notebook executed, string name) => ChapterInfo.Of(executed.Root, name).Title;

    private static bool SamePath(string a, string b)
    {
        var comparison = OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        return string.Equals(Resolve(a), Resolve(b), comparison);
    }

    // Follows symbolic links (of the file and of every folder above it), so a link such as
    // "out -> ." cannot smuggle an overwrite past the check.
    private static string Resolve(string path)
    {
        string full = Path.GetFullPath(path);
        var file = new FileInfo(full);
        if (file.Exists && file.ResolveLinkTarget(returnFinalTarget: true) is { } target) full = target.FullName;
        string? folder = Path.GetDirectoryName(full);
        return folder is null ? full : Path.Combine(RealFolder(folder), Path.GetFileName(full));
    }

    private static string RealFolder(string folder)
    {
        string? parent = Path.GetDirectoryName(folder);
        if (parent is null) return folder;
        var info = new DirectoryInfo(Path.Combine(RealFolder(parent), Path.GetFileName(folder)));
        return info.Exists && info.ResolveLinkTarget(returnFinalTarget: true) is { } target ? RealFolder(target.FullName) : info.FullName;
    }

    private static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>The state of one notebook run.</summary>
    private sealed class NotebookRun(Notebook executed, string directory, RunOptions options)
    {
        // The cell a thread works for (flows into tasks the cell starts), so a runaway cell that was
        // abandoned after a timeout cannot write into the outputs of the cells after it.
        private static readonly AsyncLocal<CellOutputs?> Owner = new();

        private readonly CellEngine _engine = new(directory);

        public string Directory => _engine.Directory;

        public CellOutputs? Current
        {
            get
            {
                var current = _engine.Current;
                var owner = Owner.Value;
                return owner is null || ReferenceEquals(owner, current) ? current : null;
            }
        }

        // Progress goes to the log one line per cell; the summary line is the caller's to print.
        // Cells are numbered among the code cells (markdown left out), the way "In [n]" counts them: the progress
        // "[n/total]", the error's "cell n, line …", a traceback's "at cell n" and the page's "In [n]" agree.
        public async Task<NotebookResult> RunAsync(string name, TextWriter log)
        {
            var clock = Stopwatch.StartNew();
            ChartHtml.ResetIds();
            var cells = executed.Cells;
            int codeCells = cells.Count(c => c?["cell_type"]?.GetValue<string>() == "code");
            int number = 0, cellsRun = 0, errors = 0;
            int? stoppedAt = null;
            bool timedOut = false;
            var checks = new CheckLines();

            for (int i = 0; i < cells.Count; i++)
            {
                var cell = (JsonObject)cells[i]!;
                if (cell["cell_type"]?.GetValue<string>() != "code") continue;
                number++;
                cell["outputs"] = new JsonArray();
                cell["execution_count"] = null;
                if (stoppedAt is not null) continue;

                options.CellStarting?.Invoke(cell);
                var outputs = new CellOutputs(number);
                var parsed = CellDirectives.Parse(Notebook.SourceOf(cell), KernelNamedIn(cell));
                if (parsed.OtherKernel is string kernel)
                {
                    outputs.AddNote($"cell {number} skipped: it is a #!{kernel} cell, and nbcnn runs C# cells only.");
                    cell["outputs"] = outputs.ToJson();
                    log.WriteLine($"  [{number}/{codeCells}] cell {number}: skipped ({kernel})");
                    options.CellFinished?.Invoke(cell, false);
                    continue;
                }

                cell["execution_count"] = number;
                var cellClock = Stopwatch.StartNew();
                bool finished = await RunWithTimeoutAsync(parsed, outputs, number).ConfigureAwait(false);
                _engine.Current = null;
                cellsRun++;
                cell["outputs"] = outputs.ToJson();

                string status = !finished ? "timed out" : outputs.HasError ? "error" : "ok";
                log.WriteLine($"  [{number}/{codeCells}] cell {number}: {status} ({Seconds(cellClock.Elapsed)} s)");
                checks.Read(cell, number);
                if (!finished || outputs.HasError)
                {
                    errors++;
                    timedOut |= !finished;
                    if (finished ? !options.AllowErrors : !options.ContinueAfterTimeout) stoppedAt = number;
                }
                options.CellFinished?.Invoke(cell, !finished);
            }

            var result = new NotebookResult(name, executed, cellsRun, errors, clock.Elapsed,
                stoppedAt is int s && s < codeCells ? s : null)
            {
                TimedOut = timedOut,
                Passed = checks.Passed,
                Notes = checks.Notes,
                Failures = checks.Failures,
            };
            return result;
        }

        // A cell runs on its own background thread, so a cell that never returns cannot hold the
        // process: after the time limit the run is reported and stopped, and the thread is abandoned.
        private async Task<bool> RunWithTimeoutAsync(CellDirectives cell, CellOutputs outputs, int number)
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _engine.Current = outputs;
            var thread = new Thread(() =>
            {
                Owner.Value = outputs;
                try
                {
                    _engine.RunCellAsync(cell, outputs, number, $"cell {number}", CellFile(number)).GetAwaiter().GetResult();
                }
                catch (Exception e)
                {
                    CellErrors.Report(outputs, e, CellFile(number), $"cell {number}");
                }
                done.TrySetResult();
            })
            {
                IsBackground = true,
                Name = $"nbcnn cell {number}",
            };
            thread.Start();

            if (await Task.WhenAny(done.Task, Task.Delay(options.CellTimeout)).ConfigureAwait(false) == done.Task)
                return true;

            _engine.Current = null;
            double seconds = options.CellTimeout.TotalSeconds;
            string after = options.ContinueAfterTimeout
                ? "its work was abandoned and the run went on with the next cell"
                : "the remaining cells were not run (raise --timeout if it needs longer)";
            CellErrors.Report(outputs, "TimeoutError",
                FormattableString.Invariant($"Cell {number} timed out after {seconds:0.###} s; {after}."));
            return false;
        }

        private static string CellFile(int number) => $"cell-{number}.csx";

        private static string? KernelNamedIn(JsonObject cell) =>
            cell["metadata"]?["polyglot_notebook"]?["kernelName"]?.GetValue<string>()
            ?? cell["metadata"]?["dotnet_interactive"]?["language"]?.GetValue<string>();
    }
}
