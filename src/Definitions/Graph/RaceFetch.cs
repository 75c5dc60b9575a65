namespace Workflows.Definitions.Graph;

/// <summary>
/// <c>race_fetch</c>: <c>fetch_race</c>, a <see cref="RaceGroup"/> of <c>fast_source</c> and <c>reliable_source</c>.
/// The first to succeed wins and the other is cancelled (recorded <c>canceled</c>); <c>record_result</c> then
/// writes the winner's <c>data</c> and <c>source</c> to the context.
/// </summary>
/// <remarks>
/// <para>Input: <c>fastDelayMs</c> (50), <c>reliableDelayMs</c> (500), <c>fastFails</c> (false: when true the fast
/// source fails after its delay, so the reliable one wins).</para>
/// <para>In the reference each member writes the context itself. Here the members only return what they fetched
/// and <c>record_result</c> copies the race's output (the winner's): if both finished at almost the same moment, a
/// loser's write could otherwise land beside the winner's, and the context would name the wrong source.</para>
/// </remarks>
public static class RaceFetch
{
    /// <summary>The registered name.</summary>
    public const string Name = "race_fetch";

    private const string RaceName = "fetch_race";

    /// <summary>A new definition (its steps are new instances too).</summary>
    public static WorkflowDefinition Create() => new()
    {
        Name = Name,
        Description = "A race of a fast and a reliable source: the first to succeed wins, the other is cancelled.",
        Steps =
        [
            new RaceGroup(RaceName, new FetchSource("fast", "fastDelayMs", 50, failsWhen: "fastFails"), new FetchSource("reliable", "reliableDelayMs", 500))
            {
                Description = "fast_source against reliable_source.",
            },
            new RecordResult(),
        ],
        Edges = [new Edge(RaceName, "record_result")],
        InitialStep = RaceName,
        TerminalSteps = ["record_result"],
    };

    /// <summary>What one source fetched: its data and which source it was.</summary>
    /// <param name="Data">The data.</param>
    /// <param name="Source"><c>fast</c> or <c>reliable</c>.</param>
    public sealed record SourceResult(string Data, string Source);

    /// <summary>
    /// Fetches from one source (simulated: waits the delay at <paramref name="delayPath"/>, then fails when the input
    /// flag <paramref name="failsWhen"/> is true).
    /// </summary>
    private sealed class FetchSource(string source, string delayPath, int defaultDelayMs, string? failsWhen = null)
        : BaseMachineStep($"{source}_source")
    {
        public override async Task<object?> ExecuteAsync(WorkflowContext context, CancellationToken cancellationToken)
        {
            await GraphInput.DelayAsync(context, delayPath, defaultDelayMs, cancellationToken).ConfigureAwait(false);
            if (failsWhen is not null && context.Get<bool>(failsWhen))
            {
                throw new InvalidOperationException($"The {source} source is unavailable.");
            }
            return new SourceResult($"data from the {source} source", source);
        }
    }

    /// <summary>Writes the race's output (the winner's) to the context.</summary>
    private sealed class RecordResult() : BaseMachineStep("record_result")
    {
        public override Task<object?> ExecuteAsync(WorkflowContext context, CancellationToken cancellationToken)
        {
            var winner = context.GetOutput<SourceResult>(RaceName)
                ?? throw new InvalidOperationException($"'record_result' ran without an output of the race '{RaceName}'.");
            context.Set("data", winner.Data);
            context.Set("source", winner.Source);
            return Task.FromResult<object?>(winner);
        }
    }
}
