namespace Workflows.Definitions.EventDriven;

/// <summary>
/// <c>concurrent_flow</c>: the fan-out of <see cref="ParallelFlow"/>, but <c>step_two</c> returns a
/// <see cref="StepThreeEvent"/> and <c>step_three</c> waits for all of them. The result lists the queries in the
/// order their answers arrived.
/// </summary>
public sealed class ConcurrentFlow : Workflow
{
    private const string ExpectedKey = "expected_results";

    /// <inheritdoc/>
    public override string Name => "concurrent_flow";

    /// <inheritdoc/>
    public override string? Description =>
        "Three queries run concurrently in step_two (4 workers); step_three collects every answer, in arrival order.";

    /// <summary>Remembers how many answers to wait for, then fans the queries out.</summary>
    [Step, Emits(typeof(StepTwoEvent))]
    public StopEvent? Start(QueriesStartEvent ev, IStepContext ctx)
    {
        var count = QueryFanOut.Queries(ev).Count;
        if (count == 0)
        {
            return new StopEvent(Array.Empty<string>());
        }
        ctx.Store.Set(ExpectedKey, count);
        QueryFanOut.Send(ev, ctx);
        return null;
    }

    /// <summary>Answers one query after its delay.</summary>
    [Step(NumWorkers = 4)]
    public async Task<StepThreeEvent> StepTwo(StepTwoEvent ev, CancellationToken cancellationToken)
    {
        await Task.Delay(ev.DelayMs, cancellationToken).ConfigureAwait(false);
        return new StepThreeEvent(ev.Query);
    }

    /// <summary>Collects every answer; the last one to arrive ends the run with all of them.</summary>
    /// <remarks>
    /// One worker: invocations then run in the order the answers were emitted, so the collect buffer's order is
    /// exactly the arrival order on the run's stream (with more workers two close answers could swap).
    /// </remarks>
    [Step(NumWorkers = 1)]
    public StopEvent? StepThree(StepThreeEvent ev, IStepContext ctx) =>
        ctx.CollectEvents<StepThreeEvent>(ev, ctx.Store.Get<int>(ExpectedKey)) is { } all
            ? new StopEvent(all.Select(e => e.Result).ToArray())
            : null;
}

/// <summary>The answer to one query.</summary>
/// <param name="Result">The query answered.</param>
public sealed record StepThreeEvent(string Result) : Event;
