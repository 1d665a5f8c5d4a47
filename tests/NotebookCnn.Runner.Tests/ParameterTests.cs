using NotebookCnn.Runner;

namespace NotebookCnn.Runner.Tests;

public class ParameterTests
{
    private static readonly KeyValuePair<string, string>[] Overrides =
    [
        new("epochs", "2"), new("lr", "0.01"), new("scale", "2"), new("fast", "true"), new("name", "hello"), new("count", "7"),
    ];

    [Fact]
    public void Values_are_injected_after_the_parameters_cell_typed_like_the_declarations()
    {
        var result = TestNotebooks.Run("parameters", new RunOptions { Parameters = Overrides, Log = TextWriter.Null });
        Assert.Equal(0, result.Errors);
        var injected = result.Cell(3);
        Assert.Equal(["injected-parameters"], Notebook.TagsOf(injected));
        Assert.Equal("injected-parameters", injected["id"]!.GetValue<string>());
        Assert.Contains("scale = 2f;", Notebook.SourceOf(injected));
        Assert.Contains("name = \"hello\";", Notebook.SourceOf(injected));
        Assert.Equal("2 0.01 2 True hello 7\nSingle\n", result.Stream(4));
    }

    [Fact]
    public void Without_values_the_defaults_run_and_no_cell_is_injected()
    {
        var result = TestNotebooks.Run("parameters");
        Assert.Equal(3, result.Executed.Cells.Count);
        Assert.Equal("5 0.1 0.5 False base 3\nSingle\n", result.Stream(3));
    }

    [Fact]
    public void A_parameter_naming_no_variable_is_an_error_listing_the_known_ones()
    {
        var error = Assert.Throws<RunnerException>(() =>
            TestNotebooks.Run("parameters", new RunOptions { Parameters = [new("epoch", "3")], Log = TextWriter.Null }));
        Assert.Equal("Parameter 'epoch' names no variable in the cell tagged 'parameters'; it declares: epochs, lr, scale, fast, name, count.", error.Message);
    }

    [Fact]
    public void A_parameter_for_a_notebook_without_a_parameters_cell_is_an_error()
    {
        var error = Assert.Throws<RunnerException>(() =>
            TestNotebooks.Run("output", new RunOptions { Parameters = [new("epochs", "3")], Log = TextWriter.Null }));
        Assert.Contains("no code cell is tagged 'parameters'", error.Message);
    }

    [Theory]
    [InlineData("int", "12", "12")]
    [InlineData("double", "0.5", "0.5")]
    [InlineData("double", "3", "3.0")]
    [InlineData("float", "0.25", "0.25f")]
    [InlineData("bool", "True", "true")]
    [InlineData("string", "a \"b\"", "\"a \\\"b\\\"\"")]
    [InlineData(null, "7", "7")]
    [InlineData(null, "1e-3", "1e-3")]
    [InlineData(null, "false", "false")]
    [InlineData(null, "relu", "\"relu\"")]
    public void Literals_follow_the_declared_type_or_the_value(string? type, string value, string literal) =>
        Assert.Equal(literal, Parameters.Literal("p", type, value));

    [Fact]
    public void A_value_that_does_not_fit_the_declared_type_is_an_error()
    {
        var error = Assert.Throws<RunnerException>(() => Parameters.Literal("epochs", "int", "2.5"));
        Assert.Equal("Parameter 'epochs' expects a whole number, got '2.5'.", error.Message);
    }

    [Fact]
    public void Declarations_are_read_with_their_types()
    {
        var declared = Parameters.Declared("int a = 1;\nvar b = 0.5f;\nvar c = \"x\";\nvar d = Math.PI; // computed\nconst int e = 2;");
        Assert.Equal(
            [new("a", "int"), new("b", "float"), new("c", "string"), new("d", null), new("e", "int")],
            declared);
    }

    private const string RangedCell = """
        int epochs = 5;            // 1..100: passes over the data
        double learningRate = 0.1; // 0.001..1: SGD step size
        float scale = 0.5f;        // 0..2
        long seed = 42;            // 0..1e6: seeds the weights
        int width = 3;             // how wide (no range)
        bool quick = false;        // true: tiny sizes
        """;

    [Fact]
    public void Ranges_are_read_from_the_comment_that_ends_each_line()
    {
        var declared = Parameters.Declared(RangedCell);
        Assert.Equal(new ParameterRange(1, 100, "1..100", "passes over the data"), declared[0].Range);
        Assert.Equal(new ParameterRange(0.001, 1, "0.001..1", "SGD step size"), declared[1].Range);
        Assert.Equal(new ParameterRange(0, 2, "0..2", ""), declared[2].Range);
        Assert.Equal(new ParameterRange(0, 1e6, "0..1e6", "seeds the weights"), declared[3].Range);
        Assert.Null(declared[4].Range);
        Assert.Null(declared[5].Range);
    }

    [Theory]
    [InlineData("epochs", "0", "Parameter 'epochs' must lie in 1..100 (passes over the data), got 0.")]
    [InlineData("epochs", "101", "Parameter 'epochs' must lie in 1..100 (passes over the data), got 101.")]
    [InlineData("epochs", "-3", "Parameter 'epochs' must lie in 1..100 (passes over the data), got -3.")]
    [InlineData("epochs", "3000000000", "Parameter 'epochs' expects a whole number that fits in int (-2147483648..2147483647), got '3000000000'.")]
    [InlineData("epochs", "three", "Parameter 'epochs' expects a whole number, got 'three'.")]
    [InlineData("learningRate", "0.0001", "Parameter 'learningRate' must lie in 0.001..1 (SGD step size), got 0.0001.")]
    [InlineData("learningRate", "1e400", "Parameter 'learningRate' expects a finite number that fits in double, got '1e400'.")]
    [InlineData("learningRate", "NaN", "Parameter 'learningRate' expects a finite number that fits in double, got 'NaN'.")]
    [InlineData("learningRate", "Infinity", "Parameter 'learningRate' expects a finite number that fits in double, got 'Infinity'.")]
    [InlineData("learningRate", "-∞", "Parameter 'learningRate' expects a finite number that fits in double, got '-∞'.")]
    [InlineData("scale", "1e39", "Parameter 'scale' expects a finite number that fits in float, got '1e39'.")]
    [InlineData("scale", "2.5", "Parameter 'scale' must lie in 0..2, got 2.5.")]
    [InlineData("seed", "1000001", "Parameter 'seed' must lie in 0..1e6 (seeds the weights), got 1000001.")]
    [InlineData("quick", "yes", "Parameter 'quick' expects true or false, got 'yes'.")]
    [InlineData("epoch", "3", "Parameter 'epoch' names no variable in the cell tagged 'parameters'; it declares: epochs, learningRate, scale, seed, width, quick.")]
    public void A_value_outside_its_range_or_type_or_not_finite_or_unknown_is_refused_with_a_message_naming_it(string name, string value, string message)
    {
        var error = Assert.Throws<RunnerException>(() => Parameters.InjectedSource(Parameters.Declared(RangedCell), [new(name, value)]));
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Values_at_the_ends_of_their_ranges_and_parameters_without_a_range_are_accepted()
    {
        string source = Parameters.InjectedSource(Parameters.Declared(RangedCell),
            [new("epochs", "1"), new("learningRate", "1"), new("scale", "0"), new("seed", "1000000"), new("width", "5000"), new("quick", "true")]);
        Assert.Contains("epochs = 1;", source);
        Assert.Contains("learningRate = 1.0;", source);
        Assert.Contains("scale = 0f;", source);
        Assert.Contains("seed = 1000000;", source);
        Assert.Contains("width = 5000;", source);
        Assert.Contains("quick = true;", source);
    }

    [Fact]
    public void A_non_finite_number_for_an_untyped_variable_is_refused_and_words_stay_strings()
    {
        var declared = Parameters.Declared("var rate = Math.Sqrt(2); // computed");
        Assert.Throws<RunnerException>(() => Parameters.InjectedSource(declared, [new("rate", "1e400")]));
        Assert.Equal("\"NaN\"", Parameters.Literal("rate", null, "NaN"));
    }
}
