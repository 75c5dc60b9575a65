using Workflows.Engine.Tests.Support;

namespace Workflows.Engine.Tests.Runtime;

/// <summary>SendEvent: synchronous enqueue in call order, before the returned event; targeted sends; errors.</summary>
public sealed class SendEventTests
{
    private abstract record Numbered : Event;

    private sealed record One : Numbered;

    private sealed record Two : Numbered;

    private sealed record Three : Numbered;

    private sealed record Four : Numbered;

    private sealed record Ping : Event;

    private sealed record Pong : Event;

    private sealed class OrderWorkflow : Workflow
    {
        [Step, Emits(typeof(One), typeof(Two), typeof(Three))]
        public Four Emit(StartEvent ev, IStepContext ctx)
        {
            ctx.SendEvent(new One());
            ctx.SendEvent(new Two());
            ctx.SendEvent(new Three());
            return new Four();
        }

        [Step(NumWorkers = 1), Accepts(typeof(One), typeof(Two), typeof(Three), typeof(Four))]
        public StopEvent? Sink(Numbered ev, IStepContext ctx) =>
            ctx.CollectEvents<Numbered>(ev, 4) is { } all ? new StopEvent(all.Select(e => e.GetType().Name).ToArray()) : null;
    }

    [Fact]
    public async Task SendEvent_SeveralThenReturn_RoutedInCallOrderBeforeReturnedEvent()
    {
        // Arrange
        var workflow = new OrderWorkflow();

        // Act
        var run = await workflow.StartAsync();
        var outcome = await run.Outcome.WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.Equal(RunStatus.Completed, outcome.Status);
        var items = run.Items.Snapshot();
        var emitted = items.OfType<EventEmitted>().Where(e => e.Step == "emit").Select(e => e.EventType).ToArray();
        Assert.Equal([nameof(One), nameof(Two), nameof(Three), nameof(Four)], emitted);
        Assert.Equal([nameof(One), nameof(Two), nameof(Three), nameof(Four)], Assert.IsType<string[]>(outcome.Result));
        // The sink received them in that order too (one worker, FIFO).
        Assert.Equal([nameof(One), nameof(Two), nameof(Three), nameof(Four)],
            items.OfStep("sink").OfType<StepStarted>().Select(s => s.EventType ?? "(none)").ToArray());
    }

    private sealed class TargetedWorkflow : Workflow
    {
        [Step, Emits(typeof(Ping))]
        public void Begin(StartEvent ev, IStepContext ctx) => ctx.SendEvent(new Ping(), step: "right");

        [Step]
        public StopEvent Left(Ping ev) => new("left");

        [Step]
        public StopEvent Right(Ping ev) => new("right");
    }

    [Fact]
    public async Task SendEvent_WithTargetStep_ReachesOnlyThatStep()
    {
        // Arrange
        var workflow = new TargetedWorkflow();

        // Act
        var run = await workflow.StartAsync();
        var outcome = await run.Outcome.WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.Equal(RunStatus.Completed, outcome.Status);
        Assert.Equal("right", outcome.Result);
        var items = run.Items.Snapshot();
        Assert.Empty(items.OfStep("left"));
        Assert.Single(items.OfStep("right").OfType<StepStarted>());
        Assert.Equal("right", items.OfType<EventEmitted>().Single(e => e.EventType == nameof(Ping)).TargetStep);
    }

    private sealed class BadTargetWorkflow(string target) : Workflow
    {
        [Step, Emits(typeof(Ping))]
        public void Sender(StartEvent ev, IStepContext ctx) => ctx.SendEvent(new Ping(), step: target);

        [Step]
        public StopEvent PingHandler(Ping ev) => new("ping");

        [Step]
        public StopEvent PongOnly(Pong ev) => new("pong");

        [Step]
        public Pong MakesPong(Ping ev) => new();
    }

    [Theory]
    [InlineData("nowhere")] // no such step
    [InlineData("pong_only")] // exists, does not accept Ping
    public async Task SendEvent_ToUnknownOrNonAcceptingStep_FailsNamingStepAndType(string target)
    {
        // Arrange
        var workflow = new BadTargetWorkflow(target);

        // Act
        var run = await workflow.StartAsync();
        var outcome = await run.Outcome.WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.Equal(RunStatus.Failed, outcome.Status);
        Assert.Equal("sender", outcome.Error!.Step);
        Assert.Equal(nameof(ArgumentException), outcome.Error.Type);
        Assert.Contains($"'{target}'", outcome.Error.Message);
        Assert.Contains(nameof(Ping), outcome.Error.Message);
        var items = run.Items.Snapshot();
        Assert.Equal("sender", items.SingleTerminalLast<RunFailed>().Error.Step);
        Assert.DoesNotContain(items.OfType<EventEmitted>(), e => e.EventType == nameof(Ping));
    }

    private sealed class UndeclaredWorkflow : Workflow
    {
        [Step, Emits(typeof(Ping))]
        public void Sender(StartEvent ev, IStepContext ctx) => ctx.SendEvent(new Pong());

        [Step]
        public Pong Relay(Ping ev) => new();

        [Step]
        public StopEvent Finish(Pong ev) => new("pong");
    }

    [Fact]
    public async Task SendEvent_UndeclaredType_FailsNamingStepAndType()
    {
        // Arrange
        var workflow = new UndeclaredWorkflow();

        // Act
        var run = await workflow.StartAsync();
        var outcome = await run.Outcome.WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.Equal(RunStatus.Failed, outcome.Status);
        Assert.Equal("sender", outcome.Error!.Step);
        Assert.Contains("'sender'", outcome.Error.Message);
        Assert.Contains(nameof(Pong), outcome.Error.Message);
        Assert.Empty(run.Items.Snapshot().OfStep("finish"));
    }
}
