using System.Diagnostics;

namespace Workflows.Benchmarks.Profiling;

/// <summary>
/// Measures one piece of a run on the current thread: bytes allocated (exact, via
/// <see cref="GC.GetAllocatedBytesForCurrentThread"/>) and time, per call of <c>body</c>. The body stands for
/// what one run does of that piece (e.g. all 66 item appends), so results are "per run".
/// </summary>
internal static class PieceMeter
{
    public static (double Bytes, double Nanoseconds) Measure(Action body, int iterations = 20_000)
    {
        // Warm up long enough for tiered compilation to promote the body, then measure.
        var warm = Stopwatch.StartNew();
        while (warm.ElapsedMilliseconds < 300)
        {
            body();
        }
        Thread.Sleep(150);
        for (var i = 0; i < 1000; i++)
        {
            body();
        }
        GC.Collect();
        var before = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < iterations; i++)
        {
            body();
        }
        clock.Stop();
        var bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        return ((double)bytes / iterations, clock.Elapsed.TotalNanoseconds / iterations);
    }
}
