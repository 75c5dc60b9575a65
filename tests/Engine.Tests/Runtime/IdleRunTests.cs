using Workflows.Engine.Tests.Support;

namespace Workflows.Engine.Tests.Runtime;

/// <summary>A run with nothing running and nothing queued, and no StopEvent, fails as no_stop_event.</summary>
public sealed class IdleRunTests
{
    private sealed record Ping : Event;

    private sealed class SilentWorkflow : Workflow
    {
        [Step]
        public Ping Begin(StartEvent ev) => new();

        [Step]
        public StopEvent? MaybeStop(Ping ev) => null;
    }

    [Fact]
    public async Task IdleRun_NoStopEventProduced_FailsWithNoStopEvent()
    {
        // Arrange
        var workflow = new SilentWorkflow();

        // Act
        var run = await workflow.StartAsync();
        var outcome = await run.Outcome.WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.Equal(RunStatus.Failed, outcome.Status);
        Assert.Equal("no_stop_event", outcome.Error!.Type);
        Assert.Null(outcome.Error.Step);
        var items = await run.ReadToEndAsync();
        Assert.Equal("no_stop_event", items.SingleTerminalLast<RunFailed>().Error.Type);
        Assert.Single(items.OfStep("maybe_stop").OfType<StepCompleted>());
    }
}
