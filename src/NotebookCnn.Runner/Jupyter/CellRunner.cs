namespace NotebookCnn.Runner.Jupyter;

/// <summary>
/// Runs the kernel's cells through the <see cref="CellEngine"/>, one at a time, each on its own thread, so that an
/// interrupt can stop it: <see cref="Interrupt"/> cancels the cell's token (which the library's trainer checks every
/// minibatch) and wakes the thread if it is blocked in <c>Thread.Sleep</c> or a wait. A cell that ignores both (a busy loop) is
/// abandoned after <see cref="AbandonAfter"/>: the kernel goes on with the next cell while it runs on unseen in the
/// background. Either way the session keeps the variables of the cells before it.
/// </summary>
internal sealed class CellRunner(CellEngine engine)
{
    /// <summary>How long an interrupted cell may take to stop before it is abandoned.</summary>
    public static readonly TimeSpan AbandonAfter = TimeSpan.FromSeconds(3);

    // The cell a thread works for (it flows into tasks the cell starts), so an abandoned cell cannot write into the
    // outputs of the cells after it.
    private static readonly AsyncLocal<CellOutputs?> Owner = new();

    private readonly object _gate = new();
    private RunningCell? _running;

    /// <summary>The outputs the console and <c>display</c> write to from the calling thread: the running cell's, or null.</summary>
    public CellOutputs? Current
    {
        get
        {
            var current = engine.Current;
            var owner = Owner.Value;
            return owner is null || ReferenceEquals(owner, current) ? current : null;
        }
    }

    /// <summary>
    /// Runs <paramref name="cell"/> into <paramref name="outputs"/> and returns when it is over: finished, failed,
    /// stopped by an interrupt (an <c>Interrupted</c> error output) or abandoned after one.
    /// </summary>
    public void Run(CellDirectives cell, CellOutputs outputs, int executionCount, string where, string fileName)
    {
        // Not disposed: an abandoned thread may still use them after this method returned.
        var stop = new CancellationTokenSource();
        var finished = new ManualResetEventSlim();
        var abandoned = new ManualResetEventSlim();
        var thread = new Thread(() =>
        {
            Owner.Value = outputs;
            try
            {
                engine.RunCellAsync(cell, outputs, executionCount, where, fileName, stop.Token).GetAwaiter().GetResult();
            }
            catch (Exception e)
            {
                // The engine reports the cell's own faults; what reaches here is the interrupt waking this thread while
                // it waited for the cell's asynchronous work.
                if (stop.IsCancellationRequested) CellErrors.ReportInterrupted(outputs, where, e, fileName);
                else CellErrors.Report(outputs, e, fileName, where);
            }
            finally
            {
                finished.Set();
            }
        })
        {
            IsBackground = true,
            Name = $"nbcnn {where}",
        };

        LibraryStopSignal.Set(stop.Token);
        engine.Current = outputs;
        lock (_gate) _running = new RunningCell(thread, stop, finished, abandoned);
        try
        {
            thread.Start();
            WaitHandle.WaitAny([finished.WaitHandle, abandoned.WaitHandle]);
            if (!finished.IsSet)
            {
                engine.Current = null;
                outputs.AddNote($"{where} did not stop within {AbandonAfter.TotalSeconds:0} s of the interrupt: it was left running "
                    + "in the background, where its output is not shown. Restart the kernel to end it.");
                CellErrors.ReportInterrupted(outputs, where, null, fileName);
            }
        }
        finally
        {
            lock (_gate) _running = null;
            engine.Current = null;
        }
    }

    /// <summary>Stops the running cell, if any (from any thread); false when no cell runs.</summary>
    public bool Interrupt()
    {
        RunningCell? running;
        lock (_gate) running = _running;
        if (running is null) return false;
        running.Stop.Cancel();
        _ = Task.Run(() => WakeOrAbandon(running));
        return true;
    }

    // The token stops the library's training at the next minibatch. Thread.Interrupt wakes a thread that is blocked
    // (Thread.Sleep, Wait, a cell waiting for its async work), but on a thread that is computing it would stay pending
    // and fire at the next wait the thread reaches, which may be inside the library's parallel loop, whose helper
    // threads would then be left working on a job the next loop reuses. So the thread is interrupted only when it is
    // seen blocked on two checks in a row, and abandoned if it has not stopped after AbandonAfter.
    private static async Task WakeOrAbandon(RunningCell running)
    {
        var poll = TimeSpan.FromMilliseconds(50);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        bool blockedBefore = false, woken = false;
        while (!running.Finished.IsSet)
        {
            bool blocked = (running.Thread.ThreadState & ThreadState.WaitSleepJoin) != 0;
            if (blocked && blockedBefore && !woken)
            {
                running.Thread.Interrupt();
                woken = true;
            }
            blockedBefore = blocked;
            if (clock.Elapsed >= AbandonAfter)
            {
                running.Abandoned.Set();
                return;
            }
            await Task.Delay(poll).ConfigureAwait(false);
        }
    }

    private sealed record RunningCell(Thread Thread, CancellationTokenSource Stop, ManualResetEventSlim Finished, ManualResetEventSlim Abandoned);
}
