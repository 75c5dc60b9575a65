namespace Workflows.Definitions.EventDriven;

/// <summary>
/// <c>parallel_flow</c>: the start step sends one <see cref="StepTwoEvent"/> per query and <c>step_two</c> (4 workers)
/// answers them concurrently. Each answer is a <see cref="StopEvent"/>, so the first query to finish is the
/// run's result and the others are cancelled.
/// </summary>
public sealed class ParallelFlow : Workflow
{
    /// <inheritdoc/>
    public override string Name => "parallel_flow";

    /// <inheritdoc/>
    public override string? Description =>
        "Three queries race through step_two (4 workers); the first to finish is the result and the others are cancelled.";

    /// <summary>Fans the queries out.</summary>
    [Step, Emits(typeof(StepTwoEvent))]
    public void Start(QueriesStartEvent ev, IStepContext ctx)
    {
        if (QueryFanOut.Queries(ev).Count == 0)
        {
            throw new ArgumentException("parallel_flow needs at least one query: with none there is no race to win.");
        }
        QueryFanOut.Send(ev, ctx);
    }

    /// <summary>Answers one query after its delay; the answer ends the run if it is the first.</summary>
    [Step(NumWorkers = 4)]
    public async Task<StopEvent> StepTwo(StepTwoEvent ev, CancellationToken cancellationToken)
    {
        await Task.Delay(ev.DelayMs, cancellationToken).ConfigureAwait(false);
        return new StopEvent(ev.Query);
    }
}
