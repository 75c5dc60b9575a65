using Workflows.Engine.Tests.Support;

namespace Workflows.Engine.Tests.Runtime;

/// <summary>An event goes to every step whose accepted type is assignable from the event's type.</summary>
public sealed class RoutingTests
{
    private record Parent : Event;

    private sealed record Child : Parent;

    private sealed record SawExact(string EventType) : Event;

    private sealed record SawBase(string EventType) : Event;

    private sealed class SubclassWorkflow : Workflow
    {
        [Step]
        public StopEvent TakesParent(Parent ev) => new(ev.GetType().Name);

        [Step]
        public Child Begin(StartEvent ev) => new();
    }

    private sealed class FanOutWorkflow : Workflow
    {
        [Step]
        public Child Begin(StartEvent ev) => new();

        [Step]
        public SawExact Exact(Child ev) => new(ev.GetType().Name);

        [Step]
        public SawBase Base(Parent ev) => new(ev.GetType().Name);

        [Step, Accepts(typeof(SawExact), typeof(SawBase))]
        public StopEvent? Join(Event ev, IStepContext ctx) =>
            ctx.CollectEvents(ev, [typeof(SawExact), typeof(SawBase)]) is { } both
                ? new StopEvent($"{((SawExact)both[0]).EventType}+{((SawBase)both[1]).EventType}")
                : null;
    }

    [Fact]
    public async Task Routing_StepTakingParent_ReceivesChild()
    {
        // Arrange
        var workflow = new SubclassWorkflow();

        // Act
        var run = await workflow.StartAsync();
        var outcome = await run.Outcome.WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.Equal(RunStatus.Completed, outcome.Status);
        Assert.Equal(nameof(Child), outcome.Result);
        var started = Assert.Single(run.Items.Snapshot().OfStep("takes_parent").OfType<StepStarted>());
        Assert.Equal(nameof(Child), started.EventType);
    }

    [Fact]
    public async Task Routing_EventAcceptedByTwoSteps_DeliveredToEach()
    {
        // Arrange
        var workflow = new FanOutWorkflow();

        // Act
        var run = await workflow.StartAsync();
        var outcome = await run.Outcome.WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.Equal(RunStatus.Completed, outcome.Status);
        Assert.Equal("Child+Child", outcome.Result);
        var items = run.Items.Snapshot();
        Assert.Equal(nameof(Child), Assert.Single(items.OfStep("exact").OfType<StepStarted>()).EventType);
        Assert.Equal(nameof(Child), Assert.Single(items.OfStep("base").OfType<StepStarted>()).EventType);
    }
}
