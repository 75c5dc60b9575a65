using Workflows.Engine.Tests.Support;

namespace Workflows.Engine.Tests.Runtime;

/// <summary>An unhandled failure in a step fails the run, naming the step and the error.</summary>
public sealed class StepFailureTests
{
    private sealed record Other : Event;

    private sealed class ThrowingWorkflow : Workflow
    {
        [Step]
        public StopEvent Explode(StartEvent ev) => throw new InvalidOperationException("boom");
    }

    private sealed class AsyncThrowingWorkflow : Workflow
    {
        [Step]
        public async Task<StopEvent> Explode(StartEvent ev)
        {
            await Task.Yield();
            throw new FormatException("async boom");
        }
    }

    [Fact]
    public async Task StepFailure_StepThrows_RunFailedWithStepAndException()
    {
        // Arrange
        var workflow = new ThrowingWorkflow();

        // Act
        var run = await workflow.StartAsync();
        var outcome = await run.Outcome.WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.Equal(RunStatus.Failed, outcome.Status);
        Assert.Equal(("explode", nameof(InvalidOperationException), "boom"), (outcome.Error!.Step, outcome.Error.Type, outcome.Error.Message));
        Assert.IsType<InvalidOperationException>(outcome.Error.Exception);
        var items = await run.ReadToEndAsync();
        var failed = items.SingleTerminalLast<RunFailed>();
        Assert.Equal("explode", failed.Error.Step);
        var stepFailed = Assert.IsType<StepFailed>(items[^2]);
        Assert.Equal(("explode", 1, nameof(InvalidOperationException), "boom"), (stepFailed.Step, stepFailed.Attempt, stepFailed.Error.Type, stepFailed.Error.Message));
        Assert.DoesNotContain(items, i => i is StepCompleted);
    }

    [Fact]
    public async Task StepFailure_AsyncStepThrows_AwaitingHandleThrowsWorkflowRunException()
    {
        // Arrange
        var workflow = new AsyncThrowingWorkflow();
        var run = await workflow.StartAsync();

        // Act
        var error = await Assert.ThrowsAsync<WorkflowRunException>(async () => await run).WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.Equal(run.RunId, error.RunId);
        Assert.Equal(RunStatus.Failed, error.Outcome.Status);
        Assert.Equal("explode", error.Outcome.Error!.Step);
        Assert.Equal(nameof(FormatException), error.Outcome.Error.Type);
        Assert.Contains("async boom", error.Message);
        Assert.IsType<FormatException>(error.InnerException);
        await Assert.ThrowsAsync<WorkflowRunException>(() => workflow.RunAsync()).WaitAsync(TimeSpan.FromSeconds(10));
    }

    private sealed class NonEventWorkflow : Workflow
    {
        [Step, Emits(typeof(StopEvent))]
        public object Wrong(StartEvent ev) => "not an event";
    }

    [Fact]
    public async Task StepFailure_StepReturnsNonEvent_FailsNamingStepAndType()
    {
        // Arrange
        var workflow = new NonEventWorkflow();

        // Act
        var run = await workflow.StartAsync();
        var outcome = await run.Outcome.WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.Equal(RunStatus.Failed, outcome.Status);
        Assert.Equal("wrong", outcome.Error!.Step);
        Assert.Contains("'wrong'", outcome.Error.Message);
        Assert.Contains(nameof(String), outcome.Error.Message);
        var items = await run.ReadToEndAsync();
        items.SingleTerminalLast<RunFailed>();
        Assert.Equal("wrong", Assert.IsType<StepFailed>(items[^2]).Step);
    }

    private sealed class UndeclaredReturnWorkflow : Workflow
    {
        // Other is produced, but only from outside: sneaky may not return it.
        protected override IEnumerable<Type> ExternalEvents => [typeof(Other)];

        [Step, Emits(typeof(StopEvent))]
        public Event Sneaky(StartEvent ev) => new Other();

        [Step]
        public StopEvent Finish(Other ev) => new();
    }

    [Fact]
    public async Task StepFailure_StepReturnsUndeclaredEvent_FailsNamingStepAndType()
    {
        // Arrange
        var workflow = new UndeclaredReturnWorkflow();

        // Act
        var run = await workflow.StartAsync();
        var outcome = await run.Outcome.WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.Equal(RunStatus.Failed, outcome.Status);
        Assert.Equal("sneaky", outcome.Error!.Step);
        Assert.Contains(nameof(Other), outcome.Error.Message);
        Assert.Empty(run.Items.Snapshot().OfStep("finish"));
    }
}
