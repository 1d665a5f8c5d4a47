using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace NotebookCnn.Runner;

/// <summary>
/// One C# scripting session: each cell is a submission continuing the previous one
/// (<c>ContinueWithAsync</c>), so variables, methods and usings carry over as in the kernel.
/// </summary>
public sealed class ScriptSession
{
    /// <summary>
    /// What every cell can use without a using directive: the namespaces the .NET Interactive C# kernel
    /// imports (measured in its final release: not System.IO, not System.Threading), and the statics of
    /// <c>Microsoft.DotNet.Interactive.Kernel</c> (<c>display</c>), which that kernel imports with
    /// <c>using static</c>. A type name here acts as a <c>using static</c>.
    /// </summary>
    public static readonly IReadOnlyList<string> DefaultImports =
    [
        "System", "System.Text", "System.Collections", "System.Collections.Generic", "System.Threading.Tasks", "System.Linq",
        "Microsoft.DotNet.Interactive.Kernel",
    ];

    private ScriptOptions _options;
    private ScriptState<object?>? _state;
    private int _generation;
    private readonly HashSet<string> _referenced = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Where <c>display(...)</c> shows its values. Cells are compiled without a globals object, as in the
    /// kernel, so no member of this type (nor of <see cref="object"/>) is in scope in a cell.</summary>
    public ScriptGlobals Globals { get; }

    /// <summary>Starts an empty session with the framework, the formatter and the runner's display helper referenced.</summary>
    public ScriptSession(ScriptGlobals globals)
    {
        Globals = globals;
        _options = ScriptOptions.Default
            .WithReferences(FrameworkReferences())
            .AddReferences(typeof(ScriptGlobals).Assembly)
            .WithImports(DefaultImports)
            .WithEmitDebugInformation(true)
            .WithFileEncoding(Encoding.UTF8)
            .WithOptimizationLevel(OptimizationLevel.Release)
            .WithAllowUnsafe(true);
        foreach (string file in CarriedPackages.All["Microsoft.DotNet.Interactive.Formatting"].Assemblies)
            AddReference(CarriedPackages.PathOf(file));
    }

    /// <summary>
    /// The options the next submission compiles with: the references added so far (<c>#r</c>) and the default
    /// imports. Editor services (completion) compile the cell being typed with them.
    /// </summary>
    public ScriptOptions Options => _options;

    /// <summary>
    /// The last submission that compiled (its <see cref="Script.Previous"/> chain holds the earlier ones), or null
    /// before the first: what the cells so far have declared, for editor services.
    /// </summary>
    public Script? LastSubmission => _state?.Script;

    /// <summary>Makes an assembly file available to the following cells (<c>#r "path"</c>).</summary>
    public void AddReference(string path)
    {
        string full = Path.GetFullPath(path);
        if (!File.Exists(full))
            throw new FileNotFoundException($"#r: no assembly at {full}", full);
        if (_referenced.Add(full))
            _options = _options.AddReferences(MetadataReference.CreateFromFile(full));
    }

    /// <summary>
    /// Runs one submission. <paramref name="fileName"/> names it in stack traces, so an exception's
    /// line can be found in the cell. A runtime exception is returned, not thrown, and the session
    /// keeps what the cell did before it; a compilation error throws
    /// <see cref="CompilationErrorException"/> and leaves the session unchanged.
    /// </summary>
    public async Task<SubmissionResult> RunAsync(string code, string fileName, CancellationToken cancellationToken = default)
    {
        var options = _options.WithFilePath(fileName);
        int generation = Interlocked.Increment(ref _generation);
        var previous = _state;
        var state = previous is null
            ? await CSharpScript.Create<object?>(code, options).RunAsync(globals: null, _ => true, cancellationToken).ConfigureAwait(false)
            : await previous.ContinueWithAsync<object?>(code, options, _ => true, cancellationToken).ConfigureAwait(false);
        // A submission abandoned after a timeout may still finish later: it must not replace the state
        // the cells run after it have built.
        if (generation == Volatile.Read(ref _generation)) _state = state;
        return new SubmissionResult(state.ReturnValue, state.Exception, HasValue(state));
    }

    // A submission ending in an expression without a semicolon has a result; "x;" or "var y = 1;" does not.
    private static bool HasValue(ScriptState<object?> state)
    {
        var compilation = state.Script.GetCompilation();
        var tree = compilation.SyntaxTrees.LastOrDefault();
        if (tree?.GetRoot() is not Microsoft.CodeAnalysis.CSharp.Syntax.CompilationUnitSyntax unit) return false;
        var last = unit.Members.LastOrDefault() as Microsoft.CodeAnalysis.CSharp.Syntax.GlobalStatementSyntax;
        if (last?.Statement is not Microsoft.CodeAnalysis.CSharp.Syntax.ExpressionStatementSyntax statement
            || !statement.SemicolonToken.IsMissing)
            return false;
        var type = compilation.GetSemanticModel(tree).GetTypeInfo(statement.Expression).Type;
        return type is not null && type.SpecialType != SpecialType.System_Void;
    }

    private static IEnumerable<MetadataReference> FrameworkReferences()
    {
        // The shared framework's reference set, as the kernel offers it: System.*, netstandard and friends.
        string runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        foreach (string file in Directory.EnumerateFiles(runtime, "*.dll").Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileNameWithoutExtension(file);
            if (name.StartsWith("System.", StringComparison.Ordinal) || name is "System" or "netstandard" or "mscorlib" or "Microsoft.CSharp"
                || name is "Microsoft.Win32.Primitives")
            {
                if (name.StartsWith("System.Private.", StringComparison.Ordinal) && name != "System.Private.CoreLib") continue;
                if (IsManaged(file)) yield return MetadataReference.CreateFromFile(file);
            }
        }
    }

    private static bool IsManaged(string file)
    {
        try
        {
            System.Reflection.AssemblyName.GetAssemblyName(file);
            return true;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }
}

/// <summary>What a submission produced.</summary>
/// <param name="ReturnValue">The value of the final expression, if any.</param>
/// <param name="Exception">The exception the code threw, if any.</param>
/// <param name="HasValue">True when the submission ends with an expression (no semicolon), even if its value is null.</param>
public sealed record SubmissionResult(object? ReturnValue, Exception? Exception, bool HasValue);
