using NotebookCnn;
using Xunit;

namespace NotebookCnn.Tests;

/// <summary>The allocation-free parallel loop under the kernels and layers.</summary>
[Collection(ProcessWideAllocation.Name)]
public class ParallelWorkTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(37)]
    [InlineData(1000)]
    public void Every_item_runs_exactly_once(int count)
    {
        var runs = new int[count];
        ParallelWork.For(count, runs, static (r, i) => Interlocked.Increment(ref r[i]));
        Assert.All(runs, r => Assert.Equal(1, r));
    }

    [Fact]
    public void A_loop_inside_a_loop_runs_on_its_own_thread_and_finishes()
    {
        var sums = new long[8];
        ParallelWork.For(8, sums, static (s, i) =>
            ParallelWork.For(100, (s, i), static (t, j) => Interlocked.Add(ref t.s[t.i], j)));
        Assert.All(sums, s => Assert.Equal(4950, s));
    }

    [Fact]
    public void An_exception_in_a_body_reaches_the_caller_after_the_loop()
    {
        var e = Assert.Throws<InvalidOperationException>(() =>
            ParallelWork.For(50, 17, static (bad, i) => { if (i == bad) throw new InvalidOperationException($"item {i}"); }));
        Assert.Equal("item 17", e.Message);
        // The loop is usable again afterwards.
        var runs = new int[10];
        ParallelWork.For(10, runs, static (r, i) => r[i]++);
        Assert.All(runs, r => Assert.Equal(1, r));
    }

    [Fact]
    public void Loops_started_from_several_threads_at_once_all_complete()
    {
        var results = new int[4][];
        Parallel.For(0, 4, t =>
        {
            var runs = results[t] = new int[500];
            for (int repeat = 0; repeat < 20; repeat++)
                ParallelWork.For(500, runs, static (r, i) => r[i]++);
        });
        Assert.All(results, runs => Assert.All(runs, r => Assert.Equal(20, r)));
    }

    [Fact]
    public void A_warm_loop_allocates_nothing()
    {
        var data = new float[64];
        for (int i = 0; i < 10; i++) ParallelWork.For(data.Length, data, static (d, i) => d[i] += 1);
        // The count is process-wide and the runtime may allocate now and then on its own threads: judge the
        // median of 25 windows of ten loops each. A Parallel.For allocates about 2 KB per loop, eight times the bound.
        var windows = new long[25];
        for (int w = 0; w < windows.Length; w++)
        {
            long before = GC.GetTotalAllocatedBytes(precise: true);
            for (int i = 0; i < 10; i++) ParallelWork.For(data.Length, data, static (d, i) => d[i] += 1);
            windows[w] = GC.GetTotalAllocatedBytes(precise: true) - before;
        }
        long perLoop = windows.Order().ElementAt(windows.Length / 2) / 10;
        Assert.True(perLoop < 256, $"A parallel loop allocated {perLoop} bytes (windows of ten loops: {string.Join(", ", windows)}).");
        Assert.All(data, v => Assert.Equal(10f * (1 + windows.Length), v));
    }
}
