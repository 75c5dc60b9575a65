namespace Workflows.Definitions.EventDriven;

/// <summary>Input of <c>parallel_accumulator</c>.</summary>
public sealed record AccumulatorStartEvent : StartEvent
{
    /// <summary>The items to process.</summary>
    public IReadOnlyList<string>? Items { get; init; }

    /// <summary>How long processing one item takes (default 100 ms).</summary>
    public int? DelayMs { get; init; }
}

/// <summary>One item to process.</summary>
/// <param name="Index">Its position in the input.</param>
/// <param name="Item">The item.</param>
/// <param name="DelayMs">How long processing takes.</param>
public sealed record ItemEvent(int Index, string Item, int DelayMs) : Event;

/// <summary>Says that one item's result is in the run's state (the result itself travels through the state).</summary>
/// <param name="Index">The item's position in the input.</param>
public sealed record ItemProcessedEvent(int Index) : Event;

/// <summary>One processed item, as the workers append it to the shared state.</summary>
/// <param name="Index">Its position in the input.</param>
/// <param name="Item">The item.</param>
/// <param name="Result">What processing made of it.</param>
public sealed record AccumulatedItem(int Index, string Item, string Result);

/// <summary>The result of <c>parallel_accumulator</c>: <c>{count, results}</c>, results sorted by index.</summary>
/// <param name="Count">How many results the shared state holds: the item count, since no append is lost.</param>
/// <param name="Results">The results, by index.</param>
public sealed record AccumulatorResult(int Count, IReadOnlyList<AccumulatedItem> Results);
