namespace Workflows.Definitions.EventDriven;

/// <summary>
/// <c>parallel_accumulator</c>: workers (<c>process_item</c>, 4 of them) append their results to one list in the
/// run's state, each append inside <see cref="StateStore.EditStateAsync"/>, and <c>collect_results</c> reads the
/// list once every worker has reported. Because the read-modify-write holds the state lock, no append is lost.
/// </summary>
public sealed class ParallelAccumulatorWorkflow : Workflow
{
    private const string ItemCountKey = "item_count";
    private const string ResultsKey = "results";

    /// <inheritdoc/>
    public override string Name => "parallel_accumulator";

    /// <inheritdoc/>
    public override string? Description =>
        "Workers (process_item, 4) append to shared state inside EditState; a collector reads it: never a lost update.";

    /// <summary>Prepares the shared list and sends one event per item.</summary>
    [Step, Emits(typeof(ItemEvent))]
    public StopEvent? Start(AccumulatorStartEvent ev, IStepContext ctx)
    {
        var items = ev.Items ?? [];
        if (items.Count == 0)
        {
            return new StopEvent(new AccumulatorResult(0, []));
        }
        ctx.Store.Set(ItemCountKey, items.Count);
        ctx.Store.Set(ResultsKey, Array.Empty<AccumulatedItem>());
        var delay = SimulatedDelay.Clamp(ev.DelayMs ?? 100);
        for (var i = 0; i < items.Count; i++)
        {
            ctx.SendEvent(new ItemEvent(i, items[i] ?? "", delay));
        }
        return null;
    }

    /// <summary>Processes one item and appends the result to the shared list.</summary>
    [Step(NumWorkers = 4)]
    public async Task<ItemProcessedEvent> ProcessItem(ItemEvent ev, IStepContext ctx, CancellationToken cancellationToken)
    {
        await Task.Delay(ev.DelayMs, cancellationToken).ConfigureAwait(false);
        var processed = new AccumulatedItem(ev.Index, ev.Item, ev.Item.ToUpperInvariant());
        // Read, append, write back under the state lock: with a plain Get then Set, two workers could read the same
        // list and the second write would drop the first one's item.
        await ctx.Store.EditStateAsync(state =>
        {
            var results = state.Get<List<AccumulatedItem>>(ResultsKey) ?? [];
            results.Add(processed);
            state.Set(ResultsKey, results);
            return Task.CompletedTask;
        }, cancellationToken).ConfigureAwait(false);
        return new ItemProcessedEvent(ev.Index);
    }

    /// <summary>Once every item has been processed, reads the shared list.</summary>
    [Step]
    public StopEvent? CollectResults(ItemProcessedEvent ev, IStepContext ctx)
    {
        if (ctx.CollectEvents<ItemProcessedEvent>(ev, ctx.Store.Get<int>(ItemCountKey)) is null)
        {
            return null;
        }
        var results = ctx.Store.Get<List<AccumulatedItem>>(ResultsKey) ?? [];
        return new StopEvent(new AccumulatorResult(results.Count, results.OrderBy(r => r.Index).ToArray()));
    }
}
