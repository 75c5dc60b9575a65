using System.Diagnostics;

namespace Workflows.Benchmarks.Harness;

/// <summary>What one round of <c>runs</c> runs cost.</summary>
/// <param name="Runs">Runs completed.</param>
/// <param name="Elapsed">Wall-clock time of the round.</param>
/// <param name="AllocatedBytes">Bytes allocated by every thread of the process during the round (precise).</param>
/// <param name="ThreadPoolWorkItems">Thread-pool work items completed during the round (each is one hop).</param>
/// <param name="Gen0Collections">Gen-0 collections during the round.</param>
/// <param name="CpuTime">CPU time of the whole process during the round (getrusage: microsecond resolution).</param>
/// <param name="PoolThreads">Thread-pool threads at the end of the round (hill climbing may add some).</param>
/// <param name="GcPause">Time the GC paused the process during the round.</param>
/// <param name="Gen1Collections">Gen-1 collections during the round (gen-2 ones included).</param>
internal readonly record struct RoundResult(int Runs, TimeSpan Elapsed, long AllocatedBytes, long ThreadPoolWorkItems, int Gen0Collections, TimeSpan CpuTime, int PoolThreads,
    TimeSpan GcPause = default, int Gen1Collections = 0)
{
    public double RunsPerSecond => Runs / Elapsed.TotalSeconds;

    public double BytesPerRun => (double)AllocatedBytes / Runs;

    public double WorkItemsPerRun => (double)ThreadPoolWorkItems / Runs;
}

/// <summary>Drives one round: <c>runs</c> calls of a run function, in batches of <c>inFlight</c> started together.</summary>
internal static class RoundRunner
{
    /// <summary>A round normally takes well under a second; one that takes this long has a run that never ends.</summary>
    private static readonly TimeSpan s_hangLimit = TimeSpan.FromSeconds(60);

    // The watchdog: a round in progress since s_roundStart (0 = none) that passes the limit ends the process, so a
    // run that never completes (a lost wake-up in the code measured) fails the benchmark instead of hanging it.
    private static long s_roundStart;
    private static string s_roundLabel = "";
    private static readonly Timer s_watchdog = new(static _ => CheckForHang(), null, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));

    public static async Task<RoundResult> MeasureAsync(Func<Task> run, int runs, int inFlight, string label = "a benchmark")
    {
        GC.KeepAlive(s_watchdog);
        // Every round starts from a collected heap, so one round's garbage is not billed to the next. The last
        // wait matters: a gen-2 collection queues the runtime's own finalizer-thread work (ArrayPool trimming),
        // which would otherwise run during the measured round.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var batch = new Task[Math.Min(inFlight, runs)];

        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var workItems = ThreadPool.CompletedWorkItemCount;
        var gen0 = GC.CollectionCount(0);
        var gen1 = GC.CollectionCount(1);
        var paused = GC.GetTotalPauseDuration();
        var cpu = Environment.CpuUsage.TotalTime;
        s_roundLabel = label;
        Volatile.Write(ref s_roundStart, Stopwatch.GetTimestamp());
        var clock = Stopwatch.StartNew();
        if (inFlight == 1)
        {
            for (var i = 0; i < runs; i++)
            {
                await run().ConfigureAwait(false);
            }
        }
        else
        {
            for (var started = 0; started < runs; started += batch.Length)
            {
                var count = Math.Min(batch.Length, runs - started);
                for (var i = 0; i < count; i++)
                {
                    batch[i] = run();
                }
                await Task.WhenAll(batch.AsSpan(0, count)).ConfigureAwait(false);
            }
        }
        clock.Stop();
        Volatile.Write(ref s_roundStart, 0);
        return new RoundResult(
            runs,
            clock.Elapsed,
            GC.GetTotalAllocatedBytes(precise: true) - allocated,
            ThreadPool.CompletedWorkItemCount - workItems,
            GC.CollectionCount(0) - gen0,
            Environment.CpuUsage.TotalTime - cpu,
            ThreadPool.ThreadCount,
            GC.GetTotalPauseDuration() - paused,
            GC.CollectionCount(1) - gen1);
    }

    private static void CheckForHang()
    {
        var start = Volatile.Read(ref s_roundStart);
        if (start != 0 && Stopwatch.GetElapsedTime(start) > s_hangLimit)
        {
            Console.Error.WriteLine($"A round of {s_roundLabel} has not finished after {s_hangLimit.TotalSeconds:0} s: some run never completed " +
                "(a hang in the code measured, not slowness). Exiting with code 3.");
            Environment.Exit(3);
        }
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
