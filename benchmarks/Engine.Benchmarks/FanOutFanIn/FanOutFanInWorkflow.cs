namespace Workflows.Benchmarks.FanOutFanIn;

/// <summary>
/// The event-driven form of 1 → 10 → collect: <c>start</c> sends 10 <see cref="WorkItem"/>s, <c>work</c> turns
/// each into a <see cref="WorkResult"/>, <c>collect</c> is invoked once per result and returns the
/// <see cref="StopEvent"/> when it has all 10.
/// </summary>
/// <remarks>
/// <c>work</c> has <c>NumWorkers = 10</c> (the default is 4) so that all ten items may run at once and the shape
/// is not throttled by the step's worker limit. <c>collect</c> keeps the default of 4: each of its invocations
/// only adds one event to the collect buffer.
/// </remarks>
public sealed class FanOutFanInWorkflow : Workflow
{
    public const string WorkflowName = "bench_fan_out_fan_in";

    public override string Name => WorkflowName;

    [Step]
    [Emits(typeof(WorkItem))]
    public void Start(StartEvent ev, IStepContext context)
    {
        for (var i = 0; i < FanOutFanInShape.Width; i++)
        {
            context.SendEvent(new WorkItem(i));
        }
    }

    [Step(NumWorkers = FanOutFanInShape.Width)]
    public WorkResult Work(WorkItem item) => FanOutFanInShape.Work(item);

    [Step]
    public StopEvent? Collect(WorkResult result, IStepContext context) =>
        context.CollectEvents<WorkResult>(result, FanOutFanInShape.Width) is { } all ? FanOutFanInShape.Collect(all) : null;
}
