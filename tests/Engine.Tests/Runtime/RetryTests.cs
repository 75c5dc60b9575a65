using Workflows.Engine.Tests.Support;

namespace Workflows.Engine.Tests.Runtime;

/// <summary>[Retry]: failed attempts are tried again after a delay, every attempt visible on the stream.</summary>
public sealed class RetryTests
{
    private sealed class FlakyWorkflow(int failures) : Workflow
    {
        [Step, Retry(3, InitialIntervalMs = 10, Backoff = BackoffKind.Fixed)]
        public StopEvent Flaky(StartEvent ev, IStepContext ctx) =>
            ctx.Attempt <= failures ? throw new IOException($"attempt {ctx.Attempt} failed") : new StopEvent(ctx.Attempt);
    }

    [Fact]
    public async Task Retry_FailsTwiceThenSucceeds_StreamShowsEachAttempt()
    {
        // Arrange
        var workflow = new FlakyWorkflow(failures: 2);

        // Act
        var run = await workflow.StartAsync();
        var outcome = await run.Outcome.WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.Equal(RunStatus.Completed, outcome.Status);
        Assert.Equal(3, outcome.Result);
        var steps = run.Items.Snapshot().OfStep("flaky");
        Assert.Equal(
            [(nameof(StepStarted), 1), (nameof(StepRetrying), 1), (nameof(StepStarted), 2), (nameof(StepRetrying), 2), (nameof(StepStarted), 3), (nameof(StepCompleted), 3)],
            steps.Select(i => (i.GetType().Name, i.Attempt)).ToArray());
        var retrying = steps.OfType<StepRetrying>().ToList();
        Assert.All(retrying, r => Assert.Equal(10, r.DelayMs));
        Assert.All(retrying, r => Assert.Equal(nameof(IOException), r.Error.Type));
        Assert.Equal(["attempt 1 failed", "attempt 2 failed"], retrying.Select(r => r.Error.Message).ToArray());
        Assert.Single(steps.Select(i => i.Worker).Distinct()); // the retry keeps its worker slot
        Assert.Equal(1, run.Items.Snapshot().MaxConcurrent("flaky"));
    }

    [Fact]
    public async Task Retry_AlwaysFails_FailsAfterMaximumAttempts()
    {
        // Arrange
        var workflow = new FlakyWorkflow(failures: 99);

        // Act
        var run = await workflow.StartAsync();
        var outcome = await run.Outcome.WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.Equal(RunStatus.Failed, outcome.Status);
        Assert.Equal("attempt 3 failed", outcome.Error!.Message);
        var steps = run.Items.Snapshot().OfStep("flaky");
        Assert.Equal(3, steps.OfType<StepStarted>().Count());
        Assert.Equal(2, steps.OfType<StepRetrying>().Count());
        Assert.Equal(3, Assert.IsType<StepFailed>(steps[^1]).Attempt);
    }

    private sealed class PersistentWorkflow : Workflow
    {
        public const int Failures = 55;

        // 1 ms doubling without a cap would exceed TimeSpan's range after about 50 attempts; the cap is 1 ms.
        [Step, Retry(Failures + 1, InitialIntervalMs = 1, MaximumIntervalMs = 1)]
        public StopEvent Persistent(StartEvent ev, IStepContext ctx) =>
            ctx.Attempt <= Failures ? throw new IOException("again") : new StopEvent(ctx.Attempt);
    }

    [Fact]
    public async Task Retry_ManyExponentialAttemptsWithCap_DelaysStayAtCapAndRunCompletes()
    {
        // Arrange
        var workflow = new PersistentWorkflow();

        // Act
        var run = await workflow.StartAsync();
        var outcome = await run.Outcome.WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.Equal(RunStatus.Completed, outcome.Status);
        Assert.Equal(PersistentWorkflow.Failures + 1, outcome.Result);
        var retrying = run.Items.Snapshot().OfStep("persistent").OfType<StepRetrying>().ToList();
        Assert.Equal(PersistentWorkflow.Failures, retrying.Count);
        Assert.All(retrying, r => Assert.Equal(1, r.DelayMs));
    }

    private sealed class FilteredWorkflow(Exception toThrowOnFirstAttempt) : Workflow
    {
        [Step, Retry(3, InitialIntervalMs = 10, RetryOn = [typeof(TimeoutException)])]
        public StopEvent Filtered(StartEvent ev, IStepContext ctx) =>
            ctx.Attempt == 1 ? throw toThrowOnFirstAttempt : new StopEvent(ctx.Attempt);
    }

    [Fact]
    public async Task Retry_ExceptionNotInRetryOn_FailsAtOnce()
    {
        // Arrange
        var workflow = new FilteredWorkflow(new InvalidOperationException("not retryable"));

        // Act
        var run = await workflow.StartAsync();
        var outcome = await run.Outcome.WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.Equal(RunStatus.Failed, outcome.Status);
        Assert.Equal(nameof(InvalidOperationException), outcome.Error!.Type);
        var steps = run.Items.Snapshot().OfStep("filtered");
        Assert.Equal([nameof(StepStarted), nameof(StepFailed)], steps.Select(i => i.GetType().Name).ToArray());
    }

    [Fact]
    public async Task Retry_ExceptionDerivedFromRetryOnType_IsRetried()
    {
        // Arrange: StepTimeoutException derives from TimeoutException.
        var workflow = new FilteredWorkflow(new StepTimeoutException("filtered", TimeSpan.FromSeconds(1)));

        // Act
        var run = await workflow.StartAsync();
        var outcome = await run.Outcome.WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.Equal(RunStatus.Completed, outcome.Status);
        Assert.Equal(2, outcome.Result);
        Assert.Single(run.Items.Snapshot().OfStep("filtered").OfType<StepRetrying>());
    }
}
