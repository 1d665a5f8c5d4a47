using NotebookCnn.Runner.Formatting;
using NotebookCnn.Runner;

namespace NotebookCnn.Runner.Tests;

public class CellTests
{
    [Fact]
    public void Variables_usings_and_methods_carry_across_cells_and_await_works()
    {
        var result = TestNotebooks.Run("state");
        Assert.Equal(0, result.Errors);
        Assert.Equal(4, result.CellsRun);
        var value = Assert.Single(result.Outputs(4).OfType("execute_result"));
        Assert.Equal("42", value["data"]!["text/plain"].Text());
        Assert.Equal(3, value["execution_count"]!.GetValue<int>());
        Assert.Empty(result.Outputs(5));
        Assert.Null(result.Cell(1)["execution_count"]);
        Assert.Null(result.Cell(1)["outputs"]);
    }

    [Fact]
    public void Hash_r_of_a_relative_path_loads_the_assembly()
    {
        var result = TestNotebooks.Run("reference");
        Assert.Equal(0, result.Errors);
        Assert.Equal("Tensor [2, 3] [0, 0, 0, 0, 0, 0]\n", result.Stream(1));
    }

    [Fact]
    public void Nuget_references_are_served_from_carried_packages_with_notes()
    {
        var result = TestNotebooks.Run("nuget");
        Assert.Equal(0, result.Errors);
        string notes = result.Stream(1, "stderr");
        Assert.Contains("Plotly.NET 5.1.0 requested; using the 6.0.0 nbcnn carries.", notes);
        Assert.DoesNotContain("Plotly.NET.Interactive", notes);
        Assert.Contains("#i \"nuget: https://example.org/v3/index.json\" ignored", notes);
        Assert.DoesNotContain("Plotly.NET.CSharp", notes);
    }

    [Fact]
    public void Charts_are_plotly_figures_with_html_that_loads_plotly_js_only_where_the_page_has_none()
    {
        var result = TestNotebooks.Run("nuget");
        var plotlyNet = Assert.Single(result.Outputs(2).OfType("execute_result"))["data"]!;
        var figure = plotlyNet[ChartHtml.PlotlyMimeType]!.AsObject();
        Assert.Equal("loss", figure["data"]![0]!["name"]!.GetValue<string>());
        Assert.IsType<System.Text.Json.Nodes.JsonObject>(figure["layout"]);
        string html = plotlyNet["text/html"].Text();
        Assert.StartsWith("<div class=\"plotly-chart\" id=\"nbcnn-chart-1\"></div><script type=\"text/javascript\">", html);
        Assert.Contains("Plotly.newPlot('nbcnn-chart-1', [{", html);
        Assert.Contains("if (window.Plotly) { draw(); return; }", html);
        Assert.Contains($"'{ChartHtml.PlotlyJsUrl}'", html);
        Assert.Matches(@"^https://cdn\.plot\.ly/plotly-\d+\.\d+\.\d+\.min\.js$", ChartHtml.PlotlyJsUrl);

        var xplot = Assert.Single(result.Outputs(3).OfType("execute_result"))["data"]!;
        Assert.Equal("[{\"type\":\"scatter\",\"y\":[1.0,4.0,9.0]}]", xplot[ChartHtml.PlotlyMimeType]!["data"]!.ToJsonString());
        Assert.Contains("Plotly.newPlot('nbcnn-chart-2', [{\"type\":\"scatter\",\"y\":[1.0,4.0,9.0]}], {}, {\"responsive\": true})", xplot["text/html"].Text());
        Assert.Equal("Plotly chart", xplot["text/plain"].Text());
    }

    [Fact]
    public void A_package_the_runner_does_not_carry_is_an_error_naming_it()
    {
        var result = TestNotebooks.Run("unknown-package");
        Assert.Equal(1, result.Errors);
        var error = Assert.Single(result.Outputs(1));
        Assert.Equal("error", error["output_type"]!.GetValue<string>());
        Assert.Equal("PackageNotCarriedError", error["ename"]!.GetValue<string>());
        Assert.Contains("cell 1, line 1: package 'Not.A.Carried.Package' is not carried", error["evalue"]!.GetValue<string>());
        Assert.Contains("Plotly.NET", error["evalue"]!.GetValue<string>());
    }

    [Fact]
    public void Display_returns_a_handle_whose_Update_replaces_the_output()
    {
        var result = TestNotebooks.Run("display");
        Assert.Equal(0, result.Errors);
        var outputs = result.Outputs(1);
        Assert.Equal(["display_data", "stream", "display_data"], outputs.Select(o => o["output_type"]!.GetValue<string>()));
        Assert.Equal("epoch 2", outputs[0]["data"]!["text/plain"].Text());
        Assert.Null(outputs[0]["data"]!["text/html"]);
        Assert.Equal("training\n", outputs[1]["text"].Text());
        Assert.Equal("done", outputs[2]["data"]!["text/plain"].Text());
        Assert.Equal("named", Assert.Single(result.Outputs(3))["data"]!["text/plain"].Text());
    }

    [Fact]
    public void Console_output_becomes_stream_outputs_and_the_final_expression_a_result()
    {
        var result = TestNotebooks.Run("output");
        Assert.Equal(0, result.Errors);
        var outputs = result.Outputs(1);
        Assert.Equal(["stream", "stream", "stream", "execute_result"], outputs.Select(o => o["output_type"]!.GetValue<string>()));
        Assert.Equal("hello\n", outputs[0]["text"].Text());
        Assert.Equal("stderr", outputs[1]["name"]!.GetValue<string>());
        Assert.Equal("2", outputs[3]["data"]!["text/plain"].Text());
        Assert.Contains("2", outputs[3]["data"]!["text/html"].Text());
        Assert.Empty(result.Outputs(2));
        Assert.Equal("no value\n", result.Stream(3));
        Assert.Empty(result.Outputs(3).OfType("execute_result"));
    }

    [Fact]
    public void An_exception_is_reported_with_type_message_and_line_and_stops_the_run()
    {
        var result = TestNotebooks.Run("error");
        Assert.Equal(1, result.Errors);
        Assert.Equal(2, result.CellsRun);
        Assert.Equal(2, result.StoppedAtCell);
        var error = Assert.Single(result.Outputs(2));
        Assert.Equal("System.ArgumentOutOfRangeException", error["ename"]!.GetValue<string>());
        var traceback = error["traceback"]!.AsArray().Select(l => l!.GetValue<string>()).ToList();
        Assert.StartsWith("System.ArgumentOutOfRangeException: ", traceback[0]);
        Assert.Equal("   at cell 2, line 3", traceback[1]);
        Assert.Empty(result.Outputs(3));
        Assert.Null(result.Cell(3)["execution_count"]);
        Assert.Contains("(stopped at cell 2)", result.Summary);
    }

    [Fact]
    public void With_allow_errors_a_compile_error_is_reported_at_its_line_and_the_run_goes_on()
    {
        var result = TestNotebooks.Run("allowed-errors", new RunOptions { AllowErrors = true, Log = TextWriter.Null });
        Assert.Equal(1, result.Errors);
        Assert.Equal(2, result.CellsRun);
        var error = Assert.Single(result.Outputs(1).OfType("error"));
        Assert.Equal("CompilationError", error["ename"]!.GetValue<string>());
        Assert.StartsWith("cell 1, line 3: CS0029:", error["evalue"]!.GetValue<string>());
        Assert.Equal("still runs\n", result.Stream(2));
        Assert.Null(result.StoppedAtCell);
    }

    [Fact]
    public void Cells_of_other_kernels_are_skipped_with_a_note_and_unknown_magics_are_errors()
    {
        var result = TestNotebooks.Run("kernels");
        Assert.Contains("#!fsharp cell", result.Stream(1, "stderr"));
        Assert.Contains("#!pwsh cell", result.Stream(2, "stderr"));
        Assert.Null(result.Cell(1)["execution_count"]);
        Assert.Equal("cs\n", result.Stream(3));
        var error = Assert.Single(result.Outputs(4));
        Assert.Equal("NotSupportedError", error["ename"]!.GetValue<string>());
        Assert.Contains("cell 4, line 1: #!time is not supported", error["evalue"]!.GetValue<string>());
        Assert.Equal(2, result.CellsRun);
        Assert.Equal(1, result.Errors);
    }

    [Fact]
    public void Import_runs_a_csx_file_relative_to_the_notebook()
    {
        var result = TestNotebooks.Run("import");
        Assert.Equal(0, result.Errors);
        Assert.Equal("16", Assert.Single(result.Outputs(1).OfType("execute_result"))["data"]!["text/plain"].Text());
    }

    [Fact]
    public void Cells_run_in_the_notebook_folder()
    {
        var result = TestNotebooks.Run("import");
        Assert.Equal("True", Assert.Single(result.Outputs(2).OfType("execute_result"))["data"]!["text/plain"].Text());
        Assert.NotEqual(TestNotebooks.Folder, Environment.CurrentDirectory);
    }

    [Fact]
    public void An_exception_inside_a_method_of_an_earlier_cell_names_that_cell_and_line()
    {
        var result = TestNotebooks.Run("error-in-method");
        var error = Assert.Single(result.Outputs(2));
        Assert.Equal("System.DivideByZeroException", error["ename"]!.GetValue<string>());
        Assert.Equal("   at cell 1, line 3", error["traceback"]![1]!.GetValue<string>());
    }

    [Fact]
    public void Markdown_cells_are_copied_unchanged()
    {
        var original = Notebook.Load(TestNotebooks.PathOf("markdown"));
        var result = TestNotebooks.Run("markdown");
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(original.Cells[0], result.Executed.Cells[0]));
        Assert.Equal("1\n", result.Stream(2));
    }

    [Fact]
    public void A_cell_that_runs_too_long_is_stopped_and_reported_with_its_number()
    {
        var result = TestNotebooks.Run("timeout", new RunOptions { CellTimeout = TimeSpan.FromSeconds(1), Log = TextWriter.Null });
        Assert.True(result.TimedOut);
        Assert.Equal(1, result.Errors);
        Assert.Equal("spinning\n", result.Stream(2));
        var error = Assert.Single(result.Outputs(2).OfType("error"));
        Assert.Equal("TimeoutError", error["ename"]!.GetValue<string>());
        Assert.StartsWith("Cell 2 timed out after 1 s", error["evalue"]!.GetValue<string>());
        Assert.Empty(result.Outputs(3));
        Assert.Equal(2, result.StoppedAtCell);
    }
}
