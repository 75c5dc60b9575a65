namespace Workflows.Definitions.EventDriven;

/// <summary>
/// Input of <c>parallel_flow</c> and <c>concurrent_flow</c>, which share their fan-out: one
/// <see cref="StepTwoEvent"/> per query.
/// </summary>
public sealed record QueriesStartEvent : StartEvent
{
    /// <summary>The queries to run (default "Query 1", "Query 2", "Query 3").</summary>
    public IReadOnlyList<string>? Queries { get; init; }

    /// <summary>How long <c>step_two</c> sleeps for each query, by position; a query without one sleeps 1000–5000 ms at random.</summary>
    public IReadOnlyList<int>? DelaysMs { get; init; }
}

/// <summary>One query for <c>step_two</c>.</summary>
/// <param name="Query">The query.</param>
/// <param name="DelayMs">How long answering it takes.</param>
public sealed record StepTwoEvent(string Query, int DelayMs) : Event;

/// <summary>The start step both query workflows share.</summary>
internal static class QueryFanOut
{
    /// <summary>The queries of the reference example.</summary>
    public static IReadOnlyList<string> DefaultQueries { get; } = ["Query 1", "Query 2", "Query 3"];

    /// <summary>The queries the run asked for (the defaults when it named none).</summary>
    public static IReadOnlyList<string> Queries(QueriesStartEvent ev) => ev.Queries ?? DefaultQueries;

    /// <summary>Sends one <see cref="StepTwoEvent"/> per query, in input order.</summary>
    public static void Send(QueriesStartEvent ev, IStepContext ctx)
    {
        var queries = Queries(ev);
        for (var i = 0; i < queries.Count; i++)
        {
            // The delay is chosen here, not in step_two, so that it is visible on the stream and a re-run of
            // step_two (after a restart) sleeps as long as the first attempt.
            ctx.SendEvent(new StepTwoEvent(queries[i], SimulatedDelay.ForIndex(ev.DelaysMs, i, 1000, 5000)));
        }
    }
}
