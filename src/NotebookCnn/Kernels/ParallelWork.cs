using System.Runtime.ExceptionServices;

namespace NotebookCnn;

/// <summary>
/// A parallel loop that allocates nothing once warm: <c>For(count, state, body)</c> runs body(state, i) for
/// i in [0, count) on the calling thread and the other cores. The kernels and layers use it instead of
/// <see cref="Parallel.For(int, int, Action{int})"/>, which allocates tasks and closures (about 2 KB a call).
/// </summary>
/// <remarks>
/// <para>How a call allocates nothing: the body is a <c>static</c> lambda (it captures no variable, so C#
/// creates it once and caches it) and everything it needs travels in <c>state</c>, usually a tuple of arrays
/// and sizes (a struct). For each state type there is one job object, reused by every call. The helpers are
/// a few threads of the library's own (one per extra core), started on first use and then waiting for work:
/// always the same threads, so the buffers a kernel keeps per thread (<see cref="MatMul"/>'s packing buffers)
/// are allocated once, which the thread pool, whose threads come and go, would not guarantee.</para>
/// <para>Items are claimed one at a time from a shared counter, by the caller and by the helpers, so a core
/// that is busy with something else simply takes fewer items. Each item must write its own outputs only:
/// then the result does not depend on which thread ran which item, nor on the number of cores.</para>
/// <para>One loop runs in parallel at a time. A loop started while another runs (from another thread, or
/// from inside a body) runs on its own thread, one item after the other: same result, no deadlock.</para>
/// </remarks>
internal static class ParallelWork
{
    private static int _busy;               // 1 while a parallel loop runs
    private static Job? _current;           // the loop the helpers should join
    private static readonly SemaphoreSlim Wake = new(0);
    private static int _pendingWakes;       // wake-ups not yet taken by a helper
    private static int _helperThreads;      // helper threads started so far
    private static readonly object StartLock = new();

    /// <summary>
    /// The most threads a loop (or a matrix multiply) uses, the caller's included: one per core unless a test sets it,
    /// to check that a network gives the same bits on one thread as on several.
    /// </summary>
    internal static int Threads { get; set; } = Environment.ProcessorCount;

    /// <summary>Runs <paramref name="body"/>(<paramref name="state"/>, i) for every i in [0, <paramref name="count"/>), in parallel.</summary>
    /// <param name="count">The number of items.</param>
    /// <param name="state">What the body needs (arrays, sizes), passed to every call.</param>
    /// <param name="body">The work of one item; should be a <c>static</c> lambda, so it allocates nothing.</param>
    /// <param name="maxThreads">At most this many threads, the caller's included; 1 runs on the caller only.</param>
    /// <exception cref="Exception">The first exception a body threw, rethrown after every item has finished.</exception>
    public static void For<TState>(int count, TState state, Action<TState, int> body, int maxThreads = int.MaxValue)
    {
        int helpers = Math.Min(Math.Min(maxThreads, Threads), count) - 1;
        if (helpers < 1 || Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            for (int i = 0; i < count; i++) body(state, i);
            return;
        }
        try
        {
            Job<TState>.Instance.Run(count, state, body, helpers);
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    /// <summary>
    /// A buffer kept per thread (in a <c>[ThreadStatic]</c> field): <paramref name="buffer"/> if it holds at least
    /// <paramref name="length"/> values, else a new one stored in it. It only grows, so once a thread has served the
    /// largest call, it allocates nothing; the helpers are always the same threads, so that happens once.
    /// </summary>
    public static float[] ThreadBuffer(ref float[]? buffer, int length) =>
        buffer is not null && buffer.Length >= length ? buffer : buffer = new float[length];

    /// <summary>Starts helper threads until there are <paramref name="count"/>, then wakes that many.</summary>
    private static void WakeHelpers(int count)
    {
        if (Volatile.Read(ref _helperThreads) < count)
            lock (StartLock)
                while (_helperThreads < count)
                {
                    new Thread(HelperLoop) { IsBackground = true, Name = $"NotebookCnn helper {_helperThreads + 1}" }.Start();
                    _helperThreads++;
                }
        // A wake-up not yet taken (a helper slow to start) serves this loop too: never more than `count` pending.
        for (int pending = Volatile.Read(ref _pendingWakes); pending < count; pending++)
        {
            Interlocked.Increment(ref _pendingWakes);
            Wake.Release();
        }
    }

    // A training step calls many short parallel loops (a few to a few hundred microseconds each) with a little
    // serial work in between; waking a sleeping thread takes tens of microseconds. So a helper that has just
    // finished an item keeps watching for the next loop for this long before it goes to sleep. Not longer: a
    // spinning helper slows the other core a little (measured: 0.05 ms suits the convolution nets best, 0.2 ms
    // the MLP, 0.1 ms both nearly as well).
    private static readonly long SpinTicks = System.Diagnostics.Stopwatch.Frequency / 10000; // 0.1 ms
    private static int _generation;         // counts the parallel loops started, so a spinning helper sees a new one

    private static void HelperLoop()
    {
        int seen = Volatile.Read(ref _generation);
        while (true)
        {
            if (!SpinForNextLoop(seen))
            {
                // Asleep until woken. A wake-up may be stale (its loop was joined while spinning): the job
                // it finds is then closed or a newer one, and joining either is harmless.
                Wake.Wait();
                Interlocked.Decrement(ref _pendingWakes);
            }
            seen = Volatile.Read(ref _generation);
            Volatile.Read(ref _current)?.Execute();
        }
    }

    /// <summary>True if a loop newer than <paramref name="seen"/> starts within <see cref="SpinTicks"/>.</summary>
    private static bool SpinForNextLoop(int seen)
    {
        long deadline = System.Diagnostics.Stopwatch.GetTimestamp() + SpinTicks;
        do
        {
            for (int i = 0; i < 16; i++)
            {
                if (Volatile.Read(ref _generation) != seen) return true;
                Thread.SpinWait(8);
            }
        }
        while (System.Diagnostics.Stopwatch.GetTimestamp() < deadline);
        return false;
    }

    /// <summary>What a helper thread runs: joins the current loop if it is still open.</summary>
    private abstract class Job
    {
        public abstract void Execute();
    }

    /// <summary>The reusable job of one state type: the loop's state, body and item counter.</summary>
    private sealed class Job<TState> : Job
    {
        public static readonly Job<TState> Instance = new();

        private TState _state = default!;
        private Action<TState, int>? _body;
        private int _count;
        private int _next;      // the next item to claim
        private int _open;      // 1 while helpers may join
        private int _active;    // helpers inside Execute
        private Exception? _error;

        public void Run(int count, TState state, Action<TState, int> body, int helpers)
        {
            (_state, _body, _count, _next, _error) = (state, body, count, 0, null);
            Volatile.Write(ref _open, 1); // publishes the fields above to the helpers
            Volatile.Write(ref _current, this);
            Interlocked.Increment(ref _generation); // a spinning helper joins now, a sleeping one when woken
            WakeHelpers(helpers);
            Work();

            // Every item is claimed. Close the job and wait for the helpers still in it: a helper that
            // arrives later sees it closed and leaves without touching anything.
            Interlocked.Exchange(ref _open, 0);
            var spinner = new SpinWait();
            while (Volatile.Read(ref _active) != 0) spinner.SpinOnce(sleep1Threshold: -1);

            Exception? error = _error;
            (_state, _body, _error) = (default!, null, null); // let the arrays be collected
            if (error is not null) ExceptionDispatchInfo.Capture(error).Throw();
        }

        /// <summary>A helper thread: joins the job if it is still open.</summary>
        public override void Execute()
        {
            Interlocked.Increment(ref _active);
            if (Volatile.Read(ref _open) == 1) Work();
            Interlocked.Decrement(ref _active);
        }

        private void Work()
        {
            int item;
            while ((item = Interlocked.Increment(ref _next) - 1) < _count)
            {
                try
                {
                    _body!(_state, item);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref _error, e, null);
                }
            }
        }
    }
}
