using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace NotebookCnn.Runner;

/// <summary>A variable declared in the cell tagged <c>parameters</c>.</summary>
/// <param name="Name">The variable's name.</param>
/// <param name="Type">Its C# type as far as the declaration tells (int, long, float, double, bool, string), or null when unknown.</param>
/// <param name="Range">The inclusive range its line's comment gives (<c>// 1..100: passes</c>), or null when the comment gives none.</param>
public sealed record ParameterDeclaration(string Name, string? Type, ParameterRange? Range = null);

/// <summary>
/// The values a parameter accepts, written at the start of the comment that ends its line in the parameters cell:
/// <c>int epochs = 60;   // 1..100: passes over the training set</c>.
/// </summary>
/// <param name="Minimum">The smallest value allowed.</param>
/// <param name="Maximum">The largest value allowed.</param>
/// <param name="Text">The range as written (<c>1..100</c>), for messages.</param>
/// <param name="Description">What the comment says after the range, for messages.</param>
public sealed record ParameterRange(double Minimum, double Maximum, string Text, string Description)
{
    /// <summary>True when <paramref name="value"/> lies in the range, ends included.</summary>
    public bool Contains(double value) => value >= Minimum && value <= Maximum;
}

/// <summary>
/// Papermill-style parameters: the cell tagged <c>parameters</c> declares defaults, and the runner
/// inserts after it a cell tagged <c>injected-parameters</c> that assigns the <c>-p name=value</c> values.
/// </summary>
public static partial class Parameters
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
            var range = RangeIn(member.GetTrailingTrivia());
            foreach (var variable in declaration.Variables)
                result.Add(new ParameterDeclaration(variable.Identifier.Text, TypeOf(declaration.Type, variable.Initializer?.Value), range));
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
            string literal = Literal(name, declaration.Type, value);
            CheckRange(declaration, value);
            lines.Add($"{name} = {literal};");
        }
        return string.Join("\n", lines);
    }

    /// <summary>Refuses a value outside the range its declaration's comment gives.</summary>
    private static void CheckRange(ParameterDeclaration declaration, string value)
    {
        if (declaration.Range is not { } range) return;
        // Literal() has already refused text that is not a finite number of the declared type.
        if (!double.TryParse(value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double x)) return;
        if (!range.Contains(x))
            throw new RunnerException(
                $"Parameter '{declaration.Name}' must lie in {range.Text}"
                + (range.Description.Length > 0 ? $" ({range.Description})" : "") + $", got {value.Trim()}.");
    }

    /// <summary>
    /// The range at the start of a line's trailing comment (<c>// 0.001..1: SGD step size</c>), or null. The bounds are
    /// numbers in C# or scientific notation (<c>1e-4</c>), optionally with a type suffix (<c>0.5f</c>).
    /// </summary>
    public static ParameterRange? RangeIn(SyntaxTriviaList trivia)
    {
        foreach (var item in trivia)
        {
            if (!item.IsKind(SyntaxKind.SingleLineCommentTrivia)) continue;
            var match = RangeComment().Match(item.ToString());
            if (!match.Success) return null;
            if (!TryNumber(match.Groups["min"].Value, out double min) || !TryNumber(match.Groups["max"].Value, out double max) || min > max)
                return null;
            return new ParameterRange(min, max, $"{match.Groups["min"].Value}..{match.Groups["max"].Value}", match.Groups["text"].Value.Trim());
        }
        return null;
    }

    private static bool TryNumber(string text, out double value) =>
        double.TryParse(text.TrimEnd('f', 'F', 'd', 'D', 'm', 'M'), NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    [System.Text.RegularExpressions.GeneratedRegex(@"^//\s*(?<min>[-+]?[0-9][0-9_.eE+\-]*[fFdDmM]?)\s*\.\.\s*(?<max>[-+]?[0-9][0-9_.eE+\-]*?[fFdDmM]?)\s*(:(?<text>.*))?$")]
    private static partial System.Text.RegularExpressions.Regex RangeComment();

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
                if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long n))
                    throw Mismatch(name, "a whole number", value);
                var (least, most) = IntegerLimits(type);
                if (n < least || n > most)
                    throw Mismatch(name, $"a whole number that fits in {type} ({least.ToString(CultureInfo.InvariantCulture)}..{most.ToString(CultureInfo.InvariantCulture)})", value);
                return n.ToString(CultureInfo.InvariantCulture);
            case "float" or "double" or "decimal":
                // .NET reads "NaN", "Infinity" and 1e400 (as infinity) as doubles; a parameter must be a finite number.
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) || !double.IsFinite(x)
                    || (type == "float" && !float.IsFinite((float)x)) || (type == "decimal" && Math.Abs(x) > (double)decimal.MaxValue))
                    throw Mismatch(name, $"a finite number that fits in {type}", value);
                string digits = x.ToString("R", CultureInfo.InvariantCulture);
                return type switch { "float" => digits + "f", "decimal" => digits + "m", _ => digits.Contains('.') || digits.Contains('E') ? digits : digits + ".0" };
            default:
                // Unknown declared type: type the value from its own literal.
                if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)) return text;
                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) && IsNumberLiteral(text))
                    return double.IsFinite(number) ? text : throw Mismatch(name, "a finite number", value);
                if (bool.TryParse(text, out bool flag)) return flag ? "true" : "false";
                return SymbolDisplay.FormatLiteral(value, quote: true);
        }
    }

    // "NaN" and "Infinity" parse as doubles but are no C# literals: for an untyped variable they stay strings.
    private static bool IsNumberLiteral(string text) => text.Length > 0 && (char.IsDigit(text[0]) || text[0] is '-' or '+' or '.');

    private static (long Least, long Most) IntegerLimits(string type) => type switch
    {
        "int" => (int.MinValue, int.MaxValue),
        "short" => (short.MinValue, short.MaxValue),
        "byte" => (byte.MinValue, byte.MaxValue),
        _ => (long.MinValue, long.MaxValue),
    };

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
