namespace Workflows.Benchmarks.FanOutFanIn;

/// <summary>
/// The same shape with plain tasks: the start function makes the 10 items, 10 × <c>Task.Run</c>
/// of the same work, <c>Task.WhenAll</c>, then the same collect. This is the floor the engine is
/// compared with: what the shape costs with no routing, no run state and no item stream.
/// </summary>
internal static class FanOutFanInBaseline
{
    public static async Task<StopEvent> RunAsync()
    {
        var items = Start();
        var work = new Task<WorkResult>[items.Length];
        for (var i = 0; i < items.Length; i++)
        {
            var item = items[i];
            work[i] = Task.Run(() => FanOutFanInShape.Work(item));
        }
        var results = await Task.WhenAll(work).ConfigureAwait(false);
        return FanOutFanInShape.Collect(results);
    }

    private static WorkItem[] Start()
    {
        var items = new WorkItem[FanOutFanInShape.Width];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = new WorkItem(i);
        }
        return items;
    }
}
