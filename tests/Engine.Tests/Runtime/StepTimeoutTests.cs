using Workflows.Engine.Tests.Support;

namespace Workflows.Engine.Tests.Runtime;

/// <summary>[Step(TimeoutSeconds)]: an attempt that overruns fails with StepTimeoutException and its token fires.</summary>
public sealed class StepTimeoutTests
{
    private sealed class HangingWorkflow : Workflow
    {
        public Signal TokenFired { get; } = new();

        [Step(TimeoutSeconds = 0.1)]
        public async Task<StopEvent> Hang(StartEvent ev, IStepContext ctx)
        {
            using (TokenFired.SetOn(ctx.CancellationToken))
            {
                await Task.Delay(System.Threading.Timeout.Infinite, ctx.CancellationToken);
            }
            return new StopEvent("never");
        }
    }

    [Fact]
    public async Task StepTimeout_AttemptOverruns_FailsWithStepTimeoutExceptionAndTokenFires()
    {
        // Arrange
        var workflow = new HangingWorkflow();

        // Act
        var run = await workflow.StartAsync();
        var outcome = await run.Outcome.WaitAsync(TimeSpan.FromSeconds(10));
        await workflow.TokenFired.WaitAsync();

        // Assert
        Assert.Equal(RunStatus.Failed, outcome.Status);
        Assert.Equal("hang", outcome.Error!.Step);
        Assert.Equal(nameof(StepTimeoutException), outcome.Error.Type);
        var timeout = Assert.IsType<StepTimeoutException>(outcome.Error.Exception);
        Assert.Equal(("hang", TimeSpan.FromSeconds(0.1)), (timeout.Step, timeout.Timeout));
        var items = await run.ReadToEndAsync();
        items.SingleTerminalLast<RunFailed>();
        Assert.Equal(nameof(StepTimeoutException), Assert.IsType<StepFailed>(items[^2]).Error.Type);
    }

    private sealed class StubbornWorkflow(Signal gate) : Workflow
    {
        [Step(TimeoutSeconds = 0.1)]
        public async Task<StopEvent> Stubborn(StartEvent ev)
        {
            await gate.Task; // ignores its token entirely
            return new StopEvent("never");
        }
    }

    [Fact]
    public async Task StepTimeout_StepIgnoresToken_AttemptStillFails()
    {
        // Arrange
        var gate = new Signal();
        var workflow = new StubbornWorkflow(gate);

        try
        {
            // Act
            var run = await workflow.StartAsync();
            var outcome = await run.Outcome.WaitAsync(TimeSpan.FromSeconds(10));

            // Assert
            Assert.Equal(RunStatus.Failed, outcome.Status);
            Assert.Equal(("stubborn", nameof(StepTimeoutException)), (outcome.Error!.Step, outcome.Error.Type));
        }
        finally
        {
            gate.Set();
        }
    }

    private sealed record Late : Event;

    private sealed class LateSenderWorkflow : Workflow
    {
        public Signal LateActionsDone { get; } = new();

        [Step(TimeoutSeconds = 0.1), Retry(2, InitialIntervalMs = 10), Emits(typeof(Late))]
        public async Task<StopEvent> Abandoning(StartEvent ev, IStepContext ctx)
        {
            if (ctx.Attempt == 2)
            {
                // The run goes on: attempt 1's late sends would be routed now if they were not dropped.
                await LateActionsDone.WaitAsync();
                return new StopEvent("second attempt");
            }
            try
            {
                await Task.Delay(System.Threading.Timeout.Infinite, ctx.CancellationToken);
            }
            catch (OperationCanceledException)
            {
                // The attempt has been abandoned: what it does from now on must be dropped.
                ctx.WriteEventToStream("late write");
                ctx.SendEvent(new Late());
                LateActionsDone.Set();
            }
            return new StopEvent("abandoned attempt");
        }

        [Step]
        public StopEvent Absorb(Late ev) => new("late");
    }

    [Fact]
    public async Task StepTimeout_AbandonedAttemptSendsAndWrites_NothingReachesStreamOrSteps()
    {
        // Arrange
        var workflow = new LateSenderWorkflow();

        // Act
        var run = await workflow.StartAsync();
        var outcome = await run.Outcome.WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.True(workflow.LateActionsDone.IsSet);
        Assert.Equal(RunStatus.Completed, outcome.Status);
        Assert.Equal("second attempt", outcome.Result);
        var items = await run.ReadToEndAsync();
        Assert.Equal(nameof(StepTimeoutException), Assert.Single(items.OfStep("abandoning").OfType<StepRetrying>()).Error.Type);
        Assert.Empty(items.OfType<StreamWritten>());
        Assert.DoesNotContain(items.OfType<EventEmitted>(), e => e.EventType == nameof(Late));
        Assert.Empty(items.OfStep("absorb"));
    }

    private sealed class TimeoutThenRetryWorkflow : Workflow
    {
        public Signal FirstAttemptTokenFired { get; } = new();

        [Step(TimeoutSeconds = 0.1), Retry(2, InitialIntervalMs = 10)]
        public async Task<StopEvent> Slow(StartEvent ev, IStepContext ctx)
        {
            if (ctx.Attempt == 1)
            {
                using (FirstAttemptTokenFired.SetOn(ctx.CancellationToken))
                {
                    await Task.Delay(System.Threading.Timeout.Infinite, ctx.CancellationToken);
                }
            }
            // The run is still going, so only the attempt's own timeout can have fired the first token.
            await FirstAttemptTokenFired.WaitAsync();
            return new StopEvent(ctx.Attempt);
        }
    }

    [Fact]
    public async Task StepTimeout_FirstAttemptOverruns_ItsTokenFiresWhileRunContinues()
    {
        // Arrange
        var workflow = new TimeoutThenRetryWorkflow();

        // Act
        var run = await workflow.StartAsync();
        var outcome = await run.Outcome.WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.Equal(RunStatus.Completed, outcome.Status);
        Assert.Equal(2, outcome.Result);
        var retrying = Assert.Single(run.Items.Snapshot().OfStep("slow").OfType<StepRetrying>());
        Assert.Equal(nameof(StepTimeoutException), retrying.Error.Type);
        Assert.Equal(1, retrying.Attempt);
    }
}
