namespace Workflows.Engine.Tests.Support;

/// <summary>Reading and analysing a run's item stream.</summary>
internal static class Items
{
    /// <summary>Reads the stream to its end (it must end within 10 s).</summary>
    public static async Task<List<RunItem>> ReadToEndAsync(this RunHandle run, long afterSequence = 0)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var items = new List<RunItem>();
        await foreach (var item in run.ReadItemsAsync(afterSequence, timeout.Token))
        {
            items.Add(item);
        }
        return items;
    }

    /// <summary>Reads the stream until <paramref name="predicate"/> holds for the items read so far (within 10 s).</summary>
    public static async Task<List<RunItem>> ReadUntilAsync(this RunHandle run, Func<IReadOnlyList<RunItem>, bool> predicate)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var items = new List<RunItem>();
        await foreach (var item in run.ReadItemsAsync(0, timeout.Token))
        {
            items.Add(item);
            if (predicate(items))
            {
                return items;
            }
        }
        throw new Xunit.Sdk.XunitException("The stream ended before the awaited condition held.");
    }

    /// <summary>The items of <paramref name="step"/> (started, completed, retrying, failed), in stream order.</summary>
    public static List<StepItem> OfStep(this IEnumerable<RunItem> items, string step) =>
        items.OfType<StepItem>().Where(i => i.Step == step).ToList();

    /// <summary>
    /// The largest number of attempts of <paramref name="step"/> running at once, computed from the stream: an
    /// attempt runs from its step.started to its step.completed/failed/skipped/canceled, or to step.retrying, after
    /// which its slot stays held through the backoff until the next attempt starts in it (or the run cancels it).
    /// Also checks that a worker slot is never handed to two invocations at once.
    /// </summary>
    public static int MaxConcurrent(this IEnumerable<RunItem> items, string step)
    {
        var running = new HashSet<int>();
        var backingOff = new Dictionary<int, int>(); // slot -> attempt that failed
        var max = 0;
        foreach (var item in items.OfStep(step))
        {
            var slot = item.Worker;
            switch (item)
            {
                case StepStarted started:
                    Assert.False(running.Contains(slot), $"Worker slot {slot} of '{step}' was handed out twice (sequence {item.Sequence}).");
                    if (backingOff.Remove(slot, out var failedAttempt))
                    {
                        Assert.True(started.Attempt == failedAttempt + 1, $"Slot {slot} of '{step}' is held for a retry, yet attempt {started.Attempt} started in it (sequence {item.Sequence}).");
                    }
                    running.Add(slot);
                    max = Math.Max(max, running.Count);
                    break;
                case StepRetrying:
                    Assert.True(running.Remove(slot), $"'{step}' retried in slot {slot}, which was not running (sequence {item.Sequence}).");
                    backingOff[slot] = item.Attempt;
                    break;
                case StepCanceled:
                    Assert.True(running.Remove(slot) || backingOff.Remove(slot), $"'{step}' canceled slot {slot}, which was not held (sequence {item.Sequence}).");
                    break;
                case StepCompleted or StepFailed or StepSkipped:
                    Assert.True(running.Remove(slot), $"'{step}' closed slot {slot}, which was not running (sequence {item.Sequence}).");
                    break;
            }
        }
        return max;
    }

    /// <summary>Asserts the lifecycle rule: exactly one terminal item, and it is the last.</summary>
    public static T SingleTerminalLast<T>(this IReadOnlyList<RunItem> items)
        where T : RunEnded
    {
        Assert.Single(items.OfType<RunEnded>());
        return Assert.IsType<T>(items[^1]);
    }
}
