using System.Collections.Immutable;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Completion;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FindSymbols;
using Microsoft.CodeAnalysis.Host.Mef;
using Microsoft.CodeAnalysis.Scripting;
using Microsoft.CodeAnalysis.Text;

namespace NotebookCnn.Runner.Jupyter;

/// <summary>Completions for the text between <see cref="Start"/> and <see cref="End"/> (UTF-16 indices).</summary>
internal sealed record Completions(int Start, int End, IReadOnlyList<(string Text, string Kind)> Matches);

/// <summary>
/// The editor's help for a cell being typed, from Roslyn in the session's own context: completion, the signature and
/// summary of the symbol under the cursor, and whether a cell is complete. The cell is compiled as the next submission
/// of the session: a Roslyn workspace holds one script project per cell run so far (the same code, references and
/// imports), each continuing the one before, as the C# interactive window does; so what earlier cells declared, their
/// usings and their <c>#r</c> references are in scope.
/// </summary>
internal sealed partial class CodeAssistant(ScriptSession session)
{
    private static readonly SymbolDisplayFormat Signature = new(
        globalNamespaceStyle: SymbolDisplayGlobalNamespaceStyle.Omitted,
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters,
        memberOptions: SymbolDisplayMemberOptions.IncludeParameters | SymbolDisplayMemberOptions.IncludeType
            | SymbolDisplayMemberOptions.IncludeContainingType | SymbolDisplayMemberOptions.IncludeModifiers,
        kindOptions: SymbolDisplayKindOptions.IncludeTypeKeyword | SymbolDisplayKindOptions.IncludeNamespaceKeyword,
        parameterOptions: SymbolDisplayParameterOptions.IncludeType | SymbolDisplayParameterOptions.IncludeName
            | SymbolDisplayParameterOptions.IncludeDefaultValue | SymbolDisplayParameterOptions.IncludeParamsRefOut
            | SymbolDisplayParameterOptions.IncludeExtensionThis,
        localOptions: SymbolDisplayLocalOptions.IncludeType,
        miscellaneousOptions: SymbolDisplayMiscellaneousOptions.UseSpecialTypes | SymbolDisplayMiscellaneousOptions.EscapeKeywordIdentifiers);

    private static readonly CSharpParseOptions ScriptParseOptions = new(LanguageVersion.Latest, kind: SourceCodeKind.Script);

    private readonly AdhocWorkspace _workspace = new(MefHostServices.DefaultHost);
    private readonly Dictionary<Script, ProjectId> _submissions = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, MetadataReference> _documented = new(StringComparer.Ordinal);
    private Solution? _solution;
    private CSharpCompilationOptions? _firstOptions;

    /// <summary>The completions at <paramref name="position"/>: members, variables, types and keywords that start with what is typed.</summary>
    public async Task<Completions> CompleteAsync(string code, int position, CancellationToken cancellationToken = default)
    {
        position = Math.Clamp(position, 0, code.Length);
        var document = CellDocument(code);
        var service = CompletionService.GetService(document);
        if (service is null) return new Completions(position, position, []);
        var list = await service.GetCompletionsAsync(document, position, cancellationToken: cancellationToken).ConfigureAwait(false);
        int start = Math.Min(list.Span.Start, position);
        string typed = code[start..position];
        var matches = list.ItemsList
            .Where(item => item.FilterText.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
            .OrderBy(item => item.FilterText.StartsWith(typed, StringComparison.Ordinal) ? 0 : 1)
            .ThenBy(item => item.SortText, StringComparer.OrdinalIgnoreCase)
            .Select(item => (item.DisplayText, Kind(item)))
            .DistinctBy(match => match.DisplayText)
            .ToList();
        return new Completions(start, Math.Max(position, list.Span.End), matches);
    }

    /// <summary>
    /// The signature and XML-doc summary of the symbol at (or just before) <paramref name="position"/>, or of the method
    /// whose argument list the cursor is in; null when there is none.
    /// </summary>
    public async Task<string?> InspectAsync(string code, int position, bool detailed, CancellationToken cancellationToken = default)
    {
        position = Math.Clamp(position, 0, code.Length);
        var document = CellDocument(code);
        var symbols = await SymbolsAtAsync(document, position, cancellationToken).ConfigureAwait(false);
        if (symbols.Count == 0) return null;
        var text = new StringBuilder();
        foreach (var symbol in symbols.Take(8))
        {
            if (text.Length > 0) text.Append('\n');
            text.Append(symbol.ToDisplayString(Signature)).Append('\n');
            string documentation = Documentation(symbol, detailed);
            if (documentation.Length > 0) text.Append(documentation).Append('\n');
        }
        return text.ToString().TrimEnd();
    }

    /// <summary>
    /// False when more lines are expected (an open brace, an unfinished statement): Jupyter consoles then keep reading.
    /// </summary>
    public static bool IsComplete(string code)
    {
        string source = WithoutDirectives(code);
        if (string.IsNullOrWhiteSpace(source)) return true;
        return SyntaxFactory.IsCompleteSubmission(SyntaxFactory.ParseSyntaxTree(source, ScriptParseOptions));
    }

    // Directive lines (#r, #!import, #!csharp) are not C#: blank them with spaces, so positions stay where they are.
    private static string WithoutDirectives(string code)
    {
        string[] source = code.Split('\n');
        string[] kept = CellDirectives.Parse(code).Code.Split('\n');
        if (source.Length != kept.Length) return code;
        for (int i = 0; i < source.Length; i++)
        {
            string line = source[i].TrimEnd('\r');
            if (line != kept[i]) source[i] = new string(' ', line.Length) + (source[i].EndsWith('\r') ? "\r" : "");
        }
        return string.Join('\n', source);
    }

    private Document CellDocument(string code)
    {
        var last = session.LastSubmission;
        var previous = SubmissionProject(last);
        var options = last is null ? FirstOptions() : (CSharpCompilationOptions)last.GetCompilation().Options;
        var project = ProjectId.CreateNewId("cell");
        var document = DocumentId.CreateNewId(project, "cell");
        var solution = Solution
            .AddProject(ProjectInfo.Create(project, VersionStamp.Create(), "cell", "cell", LanguageNames.CSharp,
                compilationOptions: options, parseOptions: ScriptParseOptions,
                metadataReferences: Documented(session.Options.MetadataReferences),
                projectReferences: previous is null ? null : [new ProjectReference(previous)],
                isSubmission: true))
            .AddDocument(Script(document, WithoutDirectives(code)));
        return solution.GetDocument(document)!;
    }

    private Solution Solution
    {
        get => _solution ??= _workspace.CurrentSolution;
        set => _solution = value;
    }

    // One project per submission run so far, made once and kept: each references the one before, which makes the
    // workspace compile it as the next submission of that chain.
    private ProjectId? SubmissionProject(Script? script)
    {
        if (script is null) return null;
        if (_submissions.TryGetValue(script, out var id)) return id;
        var previous = SubmissionProject(script.Previous);
        id = ProjectId.CreateNewId("submission");
        var document = DocumentId.CreateNewId(id, "submission");
        var compilation = script.GetCompilation();
        Solution = Solution
            .AddProject(ProjectInfo.Create(id, VersionStamp.Create(), "submission", "submission", LanguageNames.CSharp,
                compilationOptions: compilation.Options, parseOptions: ScriptParseOptions,
                metadataReferences: Documented(script.Options.MetadataReferences),
                projectReferences: previous is null ? null : [new ProjectReference(previous)],
                isSubmission: true))
            .AddDocument(Script(document, script.Code));
        _submissions[script] = id;
        return id;
    }

    private CSharpCompilationOptions FirstOptions() =>
        _firstOptions ??= (CSharpCompilationOptions)CSharpScript.Create("", session.Options).GetCompilation().Options;

    private static DocumentInfo Script(DocumentId id, string code) =>
        DocumentInfo.Create(id, "cell.csx", sourceCodeKind: SourceCodeKind.Script,
            loader: TextLoader.From(TextAndVersion.Create(SourceText.From(code), VersionStamp.Create())));

    private static string Kind(CompletionItem item) =>
        item.Tags.FirstOrDefault(tag => tag is not ("Public" or "Private" or "Protected" or "Internal")) is string tag
            ? tag.ToLowerInvariant() switch
            {
                "class" or "structure" or "enum" or "interface" or "delegate" or "typeparameter" => "class",
                "method" or "extensionmethod" => "function",
                "property" => "property",
                "field" or "constant" or "enummember" => "field",
                "local" or "parameter" or "rangevariable" => "instance",
                "namespace" => "module",
                "keyword" => "keyword",
                _ => tag.ToLowerInvariant(),
            }
            : "";

    private static async Task<IReadOnlyList<ISymbol>> SymbolsAtAsync(Document document, int position, CancellationToken cancellationToken)
    {
        foreach (int at in new[] { position, position - 1 })
        {
            if (at < 0) continue;
            var symbol = await SymbolFinder.FindSymbolAtPositionAsync(document, at, cancellationToken).ConfigureAwait(false);
            if (symbol is not null) return [symbol];
        }

        // Inside an argument list: the method being called (every candidate when the arguments do not pick one yet).
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null) return [];
        var token = root.FindToken(Math.Max(0, Math.Min(position, root.FullSpan.End - 1)));
        var arguments = token.Parent?.AncestorsAndSelf().OfType<ArgumentListSyntax>().FirstOrDefault();
        if (arguments?.Parent is not ExpressionSyntax call) return [];
        var info = model.GetSymbolInfo(call, cancellationToken);
        return info.Symbol is { } called ? [called] : info.CandidateSymbols;
    }

    private static string Documentation(ISymbol symbol, bool detailed)
    {
        string? xml = symbol.GetDocumentationCommentXml(expandIncludes: true);
        if (string.IsNullOrWhiteSpace(xml) && symbol is IMethodSymbol { ReducedFrom: { } reduced }) xml = reduced.GetDocumentationCommentXml();
        if (string.IsNullOrWhiteSpace(xml)) return "";
        XElement element;
        try
        {
            element = XElement.Parse(xml);
        }
        catch (System.Xml.XmlException)
        {
            return "";
        }
        var lines = new List<string>();
        if (element.Element("summary") is { } summary) lines.Add(PlainText(summary));
        foreach (var parameter in element.Elements("param"))
            lines.Add($"  {parameter.Attribute("name")?.Value}: {PlainText(parameter)}");
        if (element.Element("returns") is { } returns) lines.Add("Returns: " + PlainText(returns));
        if (detailed)
        {
            if (element.Element("remarks") is { } remarks) lines.Add(PlainText(remarks));
            foreach (var exception in element.Elements("exception"))
                lines.Add($"Throws {ShortName(exception.Attribute("cref")?.Value)}: {PlainText(exception)}");
        }
        return string.Join('\n', lines.Where(line => line.Trim().Length > 0));
    }

    // <see cref="T:NotebookCnn.Tensor"/> → Tensor, <paramref name="x"/> → x, <c>code</c> → code; whitespace collapsed.
    private static string PlainText(XElement element)
    {
        var text = new StringBuilder();
        foreach (var node in element.DescendantNodes())
        {
            if (node is XText t && t.Parent is not null && t.Parent.Name != "see" && t.Parent.Name != "seealso") text.Append(t.Value);
            else if (node is XElement { Name.LocalName: "see" or "seealso" } see && !see.Nodes().Any())
                text.Append(see.Attribute("cref") is { } cref ? ShortName(cref.Value) : see.Attribute("langword")?.Value ?? see.Attribute("href")?.Value);
            else if (node is XElement { Name.LocalName: "see" or "seealso" } linked) text.Append(linked.Value);
            else if (node is XElement { Name.LocalName: "paramref" or "typeparamref" } reference) text.Append(reference.Attribute("name")?.Value);
            else if (node is XElement { Name.LocalName: "para" or "br" }) text.Append(' ');
        }
        return Whitespace().Replace(text.ToString(), " ").Trim();
    }

    // T:NotebookCnn.Tensor → Tensor; M:NotebookCnn.Tensor.Reshape(System.Int32[]) → Tensor.Reshape.
    private static string ShortName(string? cref)
    {
        if (string.IsNullOrEmpty(cref)) return "";
        bool prefixed = cref.Length > 2 && cref[1] == ':';
        bool member = prefixed && cref[0] is 'M' or 'P' or 'F' or 'E';
        string name = prefixed ? cref[2..] : cref;
        int end = name.IndexOfAny(['(', '`']);
        if (end >= 0) name = name[..end];
        string[] parts = name.Split('.');
        return member && parts.Length >= 2 ? parts[^2] + "." + parts[^1] : parts[^1];
    }

    // The same assembly files, with their XML documentation where it is found: beside the file (the library, packages),
    // or in the SDK's reference pack for the framework (which ships no XML beside the runtime's assemblies).
    private IEnumerable<MetadataReference> Documented(IEnumerable<MetadataReference> references)
    {
        foreach (var reference in references)
        {
            if (reference is not PortableExecutableReference { FilePath: { } path }) { yield return reference; continue; }
            if (!_documented.TryGetValue(path, out var documented))
            {
                documented = XmlDocumentation(path) is { } xml
                    ? MetadataReference.CreateFromFile(path, documentation: XmlDocumentationProvider.CreateFromFile(xml))
                    : reference;
                _documented[path] = documented;
            }
            yield return documented;
        }
    }

    private static string? XmlDocumentation(string assembly)
    {
        string beside = Path.ChangeExtension(assembly, ".xml");
        if (File.Exists(beside)) return beside;
        // <dotnet>/shared/Microsoft.NETCore.App/<version>/X.dll → <dotnet>/packs/Microsoft.NETCore.App.Ref/<version>/ref/net<major>.0/X.xml
        var runtime = new DirectoryInfo(Path.GetDirectoryName(assembly)!);
        if (runtime.Parent?.Name != "Microsoft.NETCore.App" || runtime.Parent.Parent?.Parent is not { } root) return null;
        string name = Path.GetFileNameWithoutExtension(assembly) == "System.Private.CoreLib" ? "System.Runtime" : Path.GetFileNameWithoutExtension(assembly);
        string pack = Path.Combine(root.FullName, "packs", "Microsoft.NETCore.App.Ref", runtime.Name, "ref", $"net{Environment.Version.Major}.0", name + ".xml");
        return File.Exists(pack) ? pack : null;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
