// Course.cs: the course setup every chapter imports with `#!import Course.cs`, right after loading the
// library and Plotly.NET. It runs the same in every host the course supports: the .NET Interactive kernel
// (VS Code, JupyterLab), the nbcnn kernel and `nbcnn run`.
//
// It does two things:
//  1. Plotly.NET 6 was built against FSharp.Core 10.1, but the .NET Interactive kernel has already loaded its
//     own FSharp.Core 10.0 before any notebook code runs, and .NET will not load a second copy into the same
//     context. Without help the first chart fails with "Could not load file or assembly 'FSharp.Core,
//     Version=10.1.0.0'". The handler below answers that request with the FSharp.Core already loaded; the
//     parts of FSharp.Core that Plotly.NET uses are the same in both versions.
//  2. It tells the notebook how to show the library's objects. Without it, a cell ending in a Dataset would be
//     shown as a tree of every property, all 6 million pixel values included; with it, a tensor shows its shape
//     and its first values as a small table, and a network, a training history, a dataset or a gradient-check
//     report shows the text the library writes for students.

#nullable enable
// Only `using NotebookCnn;` and one alias here: the usings of an imported file stay in force in every later cell, so
// the other names are written out in full.
using NotebookCnn;
using Formatter = Microsoft.DotNet.Interactive.Formatting.Formatter;

/// <summary>The course's one-time notebook setup (see the top of Course.cs).</summary>
public static class Course
{
    // Re-running the setup cell compiles this file again as a new class: a process-wide flag keeps the
    // handler and the formatters from being added twice.
    const string SetUpKey = "NotebookCnn.Course.SetUp";

    /// <summary>Binds FSharp.Core to the loaded copy and registers the library's formatters, once per process.</summary>
    public static void SetUp()
    {
        if (System.AppDomain.CurrentDomain.GetData(SetUpKey) is true) return;
        System.AppDomain.CurrentDomain.SetData(SetUpKey, true);
        System.Runtime.Loader.AssemblyLoadContext.Default.Resolving += UseLoadedFSharpCore;
        RegisterFormatters();
    }

    static System.Reflection.Assembly? UseLoadedFSharpCore(System.Runtime.Loader.AssemblyLoadContext context, System.Reflection.AssemblyName wanted) =>
        wanted.Name == "FSharp.Core"
            ? System.AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == "FSharp.Core")
            : null;

    static void RegisterFormatters()
    {
        // A tensor: its shape and a matrix view of its first values (TensorText elides the rest).
        Formatter.Register(typeof(Tensor), (value, writer) =>
            writer.Write(Preformatted($"Tensor {Tensor.FormatShape(((Tensor)value).Shape)}\n{TensorText.Format((Tensor)value)}")), HtmlMimeType);
        Formatter.Register(typeof(Tensor), (value, writer) => writer.Write(value.ToString()), PlainTextMimeType);

        // Every other library type that writes its own text for students (layers, Sequential's layer table,
        // training histories, datasets, optimizers, gradient-check reports) is shown as that text.
        foreach (var type in typeof(Tensor).Assembly.GetExportedTypes().Where(WritesOwnText))
        {
            Formatter.Register(type, (value, writer) => writer.Write(Preformatted(value.ToString() ?? "")), HtmlMimeType);
            Formatter.Register(type, (value, writer) => writer.Write(value.ToString()), PlainTextMimeType);
        }
    }

    const string HtmlMimeType = "text/html";
    const string PlainTextMimeType = "text/plain";

    static bool WritesOwnText(System.Type type) =>
        type != typeof(Tensor) && !type.IsAbstract && !type.IsGenericTypeDefinition
        && type.GetMethod("ToString", System.Type.EmptyTypes)?.DeclaringType is { } declaring
        && declaring != typeof(object) && declaring.Assembly == type.Assembly;

    static string Preformatted(string text) => "<pre class=\"nbcnn-text\">" + System.Net.WebUtility.HtmlEncode(text) + "</pre>";
}

Course.SetUp();
