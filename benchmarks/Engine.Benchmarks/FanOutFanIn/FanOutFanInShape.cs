namespace Workflows.Benchmarks.FanOutFanIn;

/// <summary>One unit of fanned-out work (sent by the start step).</summary>
public sealed record WorkItem(int Index) : Event;

/// <summary>The result of one unit of work (collected by the last step).</summary>
public sealed record WorkResult(int Index, long Value) : Event;

/// <summary>
/// The parts of the 1 → 10 → collect shape that both implementations share, so that the only difference
/// between them is how the parts are scheduled: the engine's event routing versus plain tasks.
/// </summary>
internal static class FanOutFanInShape
{
    /// <summary>How many work items the start fans out and the collector waits for.</summary>
    public const int Width = 10;

    /// <summary>The run's result: Σ Work(i) for i in 0..9.</summary>
    public static readonly long ExpectedResult = Enumerable.Range(0, Width).Sum(i => Compute(i));

    /// <summary>The trivial synchronous computation of one work item.</summary>
    public static long Compute(int index)
    {
        var x = (long)index;
        return (x * x) + (3 * x) + 1;
    }

    /// <summary>The work step's body: one item in, one result out.</summary>
    public static WorkResult Work(WorkItem item) => new(item.Index, Compute(item.Index));

    /// <summary>The collect step's body once all results are in.</summary>
    public static StopEvent Collect(IReadOnlyList<WorkResult> results)
    {
        var sum = 0L;
        for (var i = 0; i < results.Count; i++)
        {
            sum += results[i].Value;
        }
        return new StopEvent(sum);
    }
}
