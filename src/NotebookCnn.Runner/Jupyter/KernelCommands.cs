using System.CommandLine;

namespace NotebookCnn.Runner.Jupyter;

/// <summary>
/// <c>nbcnn kernel --connection-file FILE</c> (what a front end starts), <c>nbcnn kernel install</c> and
/// <c>nbcnn kernel uninstall</c> (the kernelspec, with <c>--user</c>, <c>--prefix DIR</c> or <c>--path KERNELS_DIR</c>, and <c>--name</c>).
/// </summary>
public static class KernelCommands
{
    /// <summary>Exit code when the command could not start (bad arguments, missing connection file, port taken).</summary>
    public const int UsageError = 2;

    /// <summary>The <c>kernel</c> command with its two subcommands.</summary>
    public static Command Create()
    {
        var connectionFile = new Option<string>("--connection-file", "-f")
        {
            Description = "The connection file the Jupyter front end wrote (ports and signing key).",
        };
        var command = new Command("kernel", "Run as a Jupyter kernel (VS Code, JupyterLab, nbclient), or install its kernelspec.")
        {
            connectionFile,
        };
        command.SetAction(result =>
        {
            var log = new KernelLog(Console.Error);
            string? file = result.GetValue(connectionFile);
            if (file is null)
            {
                log.WriteLine("--connection-file FILE is required (Jupyter passes it; to make the kernel available, run `nbcnn kernel install`).");
                return UsageError;
            }
            int code;
            try
            {
                code = JupyterKernel.Serve(file, log);
            }
            catch (RunnerException e)
            {
                log.WriteLine(e.Message);
                code = UsageError;
            }
            // A cell may have started foreground threads: the kernel's end must end the process.
            log.Flush();
            Environment.Exit(code);
            return code;
        });
        command.Subcommands.Add(SpecCommand("install", "Write the kernelspec so Jupyter front ends offer \"C# (NotebookCnn)\".", install: true));
        command.Subcommands.Add(SpecCommand("uninstall", "Remove the kernelspec written by `nbcnn kernel install`.", install: false));
        return command;
    }

    private static Command SpecCommand(string name, string description, bool install)
    {
        var user = new Option<bool>("--user") { Description = "The user's Jupyter data folder (the default)." };
        var prefix = new Option<string>("--prefix") { Description = "PREFIX/share/jupyter/kernels, e.g. a virtual environment's folder." };
        var path = new Option<string>("--path") { Description = "This kernels folder (KERNELS_DIR/NAME/kernel.json)." };
        var kernelName = new Option<string>("--name") { Description = "The kernelspec name.", DefaultValueFactory = _ => KernelSpec.DefaultName };
        var command = new Command(name, description) { user, prefix, path, kernelName };
        command.SetAction(result =>
        {
            try
            {
                string folder = KernelSpec.KernelsFolder(result.GetValue(user), result.GetValue(prefix), result.GetValue(path));
                string kernel = result.GetValue(kernelName)!;
                if (install)
                {
                    Console.WriteLine($"Installed the kernel \"{KernelSpec.DisplayName}\" ({kernel}) at {KernelSpec.Install(folder, kernel)}");
                    return 0;
                }
                if (KernelSpec.Uninstall(folder, kernel) is string removed)
                {
                    Console.WriteLine($"Removed the kernel {kernel} from {removed}");
                    return 0;
                }
                Console.Error.WriteLine($"nbcnn: no kernel named {kernel} in {folder}.");
                return 1;
            }
            catch (Exception e) when (e is RunnerException or IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine("nbcnn: " + e.Message);
                return UsageError;
            }
        });
        return command;
    }
}
