namespace Workflows.Definitions.EventDriven;

/// <summary>
/// <c>multi_event_flow</c>: three branches with their own event types run concurrently and a collector waits for
/// one completion of each. It asks for them as [C, A, B], so the result is in that order whatever order the
/// branches finish in.
/// </summary>
public sealed class MultiEventFlow : Workflow
{
    // Deliberately not the sending order: the collect order, not the arrival order, decides the result's order.
    private static readonly Type[] s_collectOrder = [typeof(StepCCompleteEvent), typeof(StepACompleteEvent), typeof(StepBCompleteEvent)];

    /// <inheritdoc/>
    public override string Name => "multi_event_flow";

    /// <inheritdoc/>
    public override string? Description =>
        "Three branches with distinct event types; the collector asks for [C, A, B] and returns the results in that order.";

    /// <summary>Starts the three branches.</summary>
    [Step, Emits(typeof(StepAEvent), typeof(StepBEvent), typeof(StepCEvent))]
    public void Start(MultiEventStartEvent ev, IStepContext ctx)
    {
        var delays = ev.DelaysMs ?? new BranchDelays();
        ctx.SendEvent(new StepAEvent("Query 1", SimulatedDelay.Clamp(delays.A)));
        ctx.SendEvent(new StepBEvent("Query 2", SimulatedDelay.Clamp(delays.B)));
        ctx.SendEvent(new StepCEvent("Query 3", SimulatedDelay.Clamp(delays.C)));
    }

    /// <summary>Branch A.</summary>
    [Step]
    public async Task<StepACompleteEvent> StepA(StepAEvent ev, CancellationToken cancellationToken)
    {
        await Task.Delay(ev.DelayMs, cancellationToken).ConfigureAwait(false);
        return new StepACompleteEvent(ev.Query);
    }

    /// <summary>Branch B.</summary>
    [Step]
    public async Task<StepBCompleteEvent> StepB(StepBEvent ev, CancellationToken cancellationToken)
    {
        await Task.Delay(ev.DelayMs, cancellationToken).ConfigureAwait(false);
        return new StepBCompleteEvent(ev.Query);
    }

    /// <summary>Branch C.</summary>
    [Step]
    public async Task<StepCCompleteEvent> StepC(StepCEvent ev, CancellationToken cancellationToken)
    {
        await Task.Delay(ev.DelayMs, cancellationToken).ConfigureAwait(false);
        return new StepCCompleteEvent(ev.Query);
    }

    /// <summary>Waits for one completion of each branch and returns their results in collect order.</summary>
    [Step, Accepts(typeof(StepACompleteEvent), typeof(StepBCompleteEvent), typeof(StepCCompleteEvent))]
    public StopEvent? StepThree(StepCompleteEvent ev, IStepContext ctx) =>
        ctx.CollectEvents(ev, s_collectOrder) is { } all
            ? new StopEvent(all.Cast<StepCompleteEvent>().Select(e => e.Result).ToArray())
            : null;
}
