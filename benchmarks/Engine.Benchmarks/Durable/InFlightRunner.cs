using System.Diagnostics;
using Workflows.Benchmarks.Harness;

namespace Workflows.Benchmarks.Durable;

/// <summary>
/// Drives one round with a sliding window: <c>inFlight</c> loops, each starting its next run as soon as its last
/// one has completed, so exactly <c>inFlight</c> runs are in flight until the round's <c>runs</c> are used up.
/// (<see cref="RoundRunner"/> starts batches and waits for each batch's slowest run; with a store, whose group
/// commit batches whatever is queued, that idle tail would be measured too.) Measures what
/// <see cref="RoundRunner"/> measures, from a collected heap.
/// </summary>
internal static class InFlightRunner
{
    /// <summary>A round takes seconds; one that takes this long has a run that never completes (or a store that hangs).</summary>
    private static readonly TimeSpan s_hangLimit = TimeSpan.FromSeconds(120);

    public static async Task<RoundResult> MeasureAsync(Func<Task> run, int runs, int inFlight, string label)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var next = 0;
        async Task LoopAsync()
        {
            while (Interlocked.Increment(ref next) <= runs)
            {
                await run().ConfigureAwait(false);
            }
        }
        var loops = new Task[Math.Min(inFlight, runs)];

        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var workItems = ThreadPool.CompletedWorkItemCount;
        var gen0 = GC.CollectionCount(0);
        var cpu = Environment.CpuUsage.TotalTime;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < loops.Length; i++)
        {
            loops[i] = LoopAsync();
        }
        try
        {
            await Task.WhenAll(loops).WaitAsync(s_hangLimit).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Console.Error.WriteLine($"A round of {label} has not finished after {s_hangLimit.TotalSeconds:0} s: some run never completed " +
                "(a hang in the code measured, not slowness). Exiting with code 3.");
            Environment.Exit(3);
        }
        clock.Stop();
        return new RoundResult(
            runs,
            clock.Elapsed,
            GC.GetTotalAllocatedBytes(precise: true) - allocated,
            ThreadPool.CompletedWorkItemCount - workItems,
            GC.CollectionCount(0) - gen0,
            Environment.CpuUsage.TotalTime - cpu,
            ThreadPool.ThreadCount);
    }
}
