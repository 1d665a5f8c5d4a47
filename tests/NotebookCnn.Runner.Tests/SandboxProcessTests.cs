using System.Diagnostics;
using NotebookCnn.Runner.Classroom;
using Xunit;

namespace NotebookCnn.Runner.Tests;

/// <summary>A sandbox lives as long as the grader, whatever thread started it.</summary>
public class SandboxProcessTests
{
    private static ProcessStartInfo SandboxedSleep() =>
        new(Sandbox.BubblewrapPath ?? "bwrap") { ArgumentList = { "--ro-bind", "/", "/", "--die-with-parent", "--", "sleep", "3" } };

    [Fact]
    public void A_sandbox_outlives_the_thread_that_started_it()
    {
        // bwrap's --die-with-parent follows the thread that starts it (PR_SET_PDEATHSIG): a plain Process.Start from a
        // thread that then ends kills the sandbox at once. Grading awaits on thread-pool threads, which end when the pool
        // shrinks, so the grader starts sandboxes with Sandbox.StartProcess.
        Process? plain = null, ownThread = null;
        var thread = new Thread(() =>
        {
            plain = Process.Start(SandboxedSleep());
            ownThread = Sandbox.StartProcess(SandboxedSleep());
            Thread.Sleep(1000); // bwrap arms --die-with-parent as it starts; the thread ends after that
        });
        thread.Start();
        thread.Join();
        using var plainProcess = plain!;
        using var ownThreadProcess = ownThread!;
        plainProcess.WaitForExit();
        ownThreadProcess.WaitForExit();
        Assert.NotEqual(0, plainProcess.ExitCode);    // the hazard is real on this system
        Assert.Equal(0, ownThreadProcess.ExitCode);   // and Sandbox.StartProcess avoids it
    }
}
