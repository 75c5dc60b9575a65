using Workflows.Engine.Tests.Support;

namespace Workflows.Engine.Tests.Runtime;

/// <summary>RunHandle.Cancel: cooperative, running steps' tokens fire, the run ends as canceled.</summary>
public sealed class CancelTests
{
    private sealed class WaitingWorkflow : Workflow
    {
        public Signal Started { get; } = new();

        public Signal TokenFired { get; } = new();

        [Step]
        public async Task<StopEvent> Wait(StartEvent ev, IStepContext ctx)
        {
            using (TokenFired.SetOn(ctx.CancellationToken))
            {
                Started.Set();
                await Task.Delay(System.Threading.Timeout.Infinite, ctx.CancellationToken);
            }
            return new StopEvent("never");
        }
    }

    [Fact]
    public async Task Cancel_WhileStepRuns_EndsCanceledAndFiresStepToken()
    {
        // Arrange
        var workflow = new WaitingWorkflow();
        var run = await workflow.StartAsync();
        await workflow.Started.WaitAsync();

        // Act
        var accepted = run.Cancel("why");
        var outcome = await run.Outcome.WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.True(accepted);
        await workflow.TokenFired.WaitAsync();
        Assert.Equal(RunStatus.Canceled, outcome.Status);
        Assert.Equal(RunStatus.Canceled, run.Status);
        Assert.Equal("canceled", outcome.Error!.Type);
        Assert.Equal("why", outcome.Error.Message);
        var items = await run.ReadToEndAsync();
        Assert.Equal("why", items.SingleTerminalLast<RunCanceled>().Reason);
        Assert.Equal(RunItemTypes.RunCanceled, items[^1].Type);
        await Assert.ThrowsAsync<WorkflowRunException>(async () => await run);
    }

    private sealed class ThrowingCallbackWorkflow : Workflow
    {
        public Signal Started { get; } = new();

        [Step]
        public async Task<StopEvent> Wait(StartEvent ev, IStepContext ctx)
        {
            // A careless step: its cancellation callback throws.
            using (ctx.CancellationToken.Register(() => throw new InvalidOperationException("callback failed")))
            {
                Started.Set();
                await Task.Delay(System.Threading.Timeout.Infinite, ctx.CancellationToken);
            }
            return new StopEvent("never");
        }
    }

    [Fact]
    public async Task Cancel_StepCancellationCallbackThrows_RunStillEndsCanceled()
    {
        // Arrange
        var workflow = new ThrowingCallbackWorkflow();
        var run = await workflow.StartAsync();
        await workflow.Started.WaitAsync();

        // Act
        run.Cancel("why");
        var outcome = await run.Outcome.WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.Equal(RunStatus.Canceled, outcome.Status);
        Assert.Equal("why", (await run.ReadToEndAsync()).SingleTerminalLast<RunCanceled>().Reason);
    }

    [Fact]
    public async Task Cancel_AfterRunEnded_ReturnsFalseAndChangesNothing()
    {
        // Arrange
        var workflow = new WaitingWorkflow();
        var run = await workflow.StartAsync();
        await workflow.Started.WaitAsync();
        run.Cancel("first");
        await run.Outcome.WaitAsync(TimeSpan.FromSeconds(10));
        var countBefore = run.Items.Count;

        // Act
        var accepted = run.Cancel("second");

        // Assert
        Assert.False(accepted);
        Assert.Equal(countBefore, run.Items.Count);
        Assert.Equal("first", (await run.Outcome).Error!.Message);
    }
}
