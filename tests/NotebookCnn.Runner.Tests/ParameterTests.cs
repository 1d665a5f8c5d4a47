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
}
