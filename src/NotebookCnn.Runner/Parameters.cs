using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace NotebookCnn.Runner;

/// <summary>A variable declared in the cell tagged <c>parameters</c>.</summary>
/// <param name="Name">The variable's name.</param>
/// <param name="Type">Its C# type as far as the declaration tells (int, long, float, double, bool, string), or null when unknown.</param>
public sealed record ParameterDeclaration(string Name, string? Type);

/// <summary>
/// Papermill-style parameters: the cell tagged <c>parameters</c> declares defaults, and the runner
/// inserts after it a cell tagged <c>injected-parameters</c> that assigns the <c>-p name=value</c> values.
/// </summary>
public static class Parameters
{
    /// <summary>The tag of the cell that declares the defaults.</summary>
    public const string Tag = "parameters";

    /// <summary>The tag of the cell the runner inserts.</summary>
    public const string InjectedTag = "injected-parameters";

    /// <summary>The top-level variables a parameters cell declares, in order.</summary>
    public static IReadOnlyList<ParameterDeclaration> Declared(string code)
    {
        var tree = CSharpSyntaxTree.ParseText(code, new CSharpParseOptions(kind: SourceCodeKind.Script));
        var result = new List<ParameterDeclaration>();
        foreach (var member in tree.GetCompilationUnitRoot().Members)
        {
            VariableDeclarationSyntax? declaration = member switch
            {
                GlobalStatementSyntax { Statement: LocalDeclarationStatementSyntax local } => local.Declaration,
                FieldDeclarationSyntax field => field.Declaration,
                _ => null,
            };
            if (declaration is null) continue;
            foreach (var variable in declaration.Variables)
                result.Add(new ParameterDeclaration(variable.Identifier.Text, TypeOf(declaration.Type, variable.Initializer?.Value)));
        }
        return result;
    }

    /// <summary>
    /// The source of the injected cell: one assignment per value, typed like the declaration
    /// (or, for <c>var</c> with no literal to go by, from the value's own literal).
    /// Throws <see cref="RunnerException"/> for a name the parameters cell does not declare.
    /// </summary>
    public static string InjectedSource(IReadOnlyList<ParameterDeclaration> declared, IEnumerable<KeyValuePair<string, string>> values)
    {
        var lines = new List<string> { "// Parameters injected by nbcnn (-p name=value)." };
        foreach (var (name, value) in values)
        {
            var declaration = declared.FirstOrDefault(d => d.Name == name)
                ?? throw new RunnerException(
                    $"Parameter '{name}' names no variable in the cell tagged 'parameters'; it declares: "
                    + (declared.Count == 0 ? "nothing" : string.Join(", ", declared.Select(d => d.Name))) + ".");
            lines.Add($"{name} = {Literal(name, declaration.Type, value)};");
        }
        return string.Join("\n", lines);
    }

    /// <summary>Splits <c>name=value</c> as given on the command line.</summary>
    public static KeyValuePair<string, string> ParseAssignment(string text)
    {
        int equals = text.IndexOf('=');
        if (equals <= 0)
            throw new RunnerException($"-p expects name=value, got '{text}'.");
        return new(text[..equals].Trim(), text[(equals + 1)..]);
    }

    /// <summary>The C# literal for <paramref name="value"/> assigned to a variable of type <paramref name="type"/>.</summary>
    public static string Literal(string name, string? type, string value)
    {
        string text = value.Trim();
        switch (type)
        {
            case "string":
                return SymbolDisplay.FormatLiteral(value, quote: true);
            case "bool":
                return bool.TryParse(text, out bool b) ? (b ? "true" : "false")
                    : throw Mismatch(name, "true or false", value);
            case "int" or "long" or "short" or "byte":
                return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long n) ? n.ToString(CultureInfo.InvariantCulture)
                    : throw Mismatch(name, "a whole number", value);
            case "float" or "double" or "decimal":
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double x))
                    throw Mismatch(name, "a number", value);
                string digits = x.ToString("R", CultureInfo.InvariantCulture);
                return type switch { "float" => digits + "f", "decimal" => digits + "m", _ => digits.Contains('.') || digits.Contains('E') ? digits : digits + ".0" };
            default:
                // Unknown declared type: type the value from its own literal.
                if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)) return text;
                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _)) return text;
                if (bool.TryParse(text, out bool flag)) return flag ? "true" : "false";
                return SymbolDisplay.FormatLiteral(value, quote: true);
        }
    }

    private static RunnerException Mismatch(string name, string expected, string value) =>
        new($"Parameter '{name}' expects {expected}, got '{value}'.");

    private static string? TypeOf(TypeSyntax type, ExpressionSyntax? initializer)
    {
        if (type is PredefinedTypeSyntax predefined) return predefined.Keyword.Text;
        if (!type.IsVar || initializer is not LiteralExpressionSyntax literal) return null;
        return literal.Token.Value switch
        {
            int => "int",
            long => "long",
            float => "float",
            double => "double",
            decimal => "decimal",
            bool => "bool",
            string => "string",
            _ => null,
        };
    }
}

/// <summary>A mistake in how the runner was asked to run (bad parameter, missing file): reported without a stack trace.</summary>
public sealed class RunnerException(string message) : Exception(message);
