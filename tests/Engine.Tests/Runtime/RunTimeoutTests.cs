using Microsoft.Extensions.Options;
using Workflows.Engine.Tests.Support;

namespace Workflows.Engine.Tests.Runtime;

/// <summary>A run's wall-clock timeout ends it as timed_out, naming the steps still active, and closes the stream.</summary>
public sealed class RunTimeoutTests
{
    private sealed class BlockedWorkflow(Signal gate) : Workflow
    {
        public Signal Entered { get; } = new();

        [Step]
        public async Task<StopEvent> Blocked(StartEvent ev)
        {
            Entered.Set();
            await gate.Task; // deliberately ignores the token: the timeout must not depend on the step's cooperation
            return new StopEvent("too late");
        }
    }

    [Fact]
    public async Task RunTimeout_StepBlocked_EndsTimedOutNamingActiveStep()
    {
        // Arrange
        var gate = new Signal();
        var workflow = new BlockedWorkflow(gate) { Timeout = TimeSpan.FromMilliseconds(200) };

        try
        {
            // Act
            var run = await workflow.StartAsync();
            var readToEnd = run.ReadToEndAsync(); // a reader that is live when the run times out
            var outcome = await run.Outcome.WaitAsync(TimeSpan.FromSeconds(10));
            var items = await readToEnd.WaitAsync(TimeSpan.FromSeconds(10));

            // Assert
            Assert.True(workflow.Entered.IsSet);
            Assert.Equal(RunStatus.TimedOut, outcome.Status);
            Assert.Equal(RunStatus.TimedOut, run.Status);
            Assert.Equal("timeout", outcome.Error!.Type);
            Assert.Contains("blocked", outcome.Error.Message);
            var timedOut = items.SingleTerminalLast<RunTimedOut>();
            Assert.Equal(["blocked"], timedOut.ActiveSteps);
            Assert.Equal(RunItemTypes.RunTimedOut, timedOut.Type);
            await Assert.ThrowsAsync<WorkflowRunException>(async () => await run);
        }
        finally
        {
            gate.Set();
        }
    }

    private sealed class BackingOffWorkflow : Workflow
    {
        [Step, Retry(2, InitialIntervalMs = 60_000)]
        public StopEvent Flaky(StartEvent ev) => throw new IOException("down");
    }

    [Fact]
    public async Task RunTimeout_StepWaitingOutRetryBackoff_NamedActiveAndStreamConsistent()
    {
        // Arrange
        var workflow = new BackingOffWorkflow { Timeout = TimeSpan.FromMilliseconds(200) };

        // Act
        var run = await workflow.StartAsync();
        var outcome = await run.Outcome.WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.Equal(RunStatus.TimedOut, outcome.Status);
        var items = await run.ReadToEndAsync();
        Assert.Equal(["flaky"], items.SingleTerminalLast<RunTimedOut>().ActiveSteps);
        Assert.Single(items.OfStep("flaky").OfType<StepRetrying>());
        Assert.Equal(1, items.MaxConcurrent("flaky")); // every attempt closed on the stream was opened on it
    }

    [Fact]
    public async Task RunTimeout_EngineDefaultAndWorkflowSetsNone_DefaultApplies()
    {
        // Arrange
        var gate = new Signal();
        var registry = new WorkflowRegistry();
        registry.Register(new BlockedWorkflow(gate));
        var engine = new LocalExecutionEngine(registry, Options.Create(new EngineOptions { DefaultRunTimeout = TimeSpan.FromMilliseconds(100) }));

        try
        {
            // Act
            var run = await engine.StartWorkflowAsync("blocked_workflow");
            var outcome = await run.Outcome.WaitAsync(TimeSpan.FromSeconds(10));

            // Assert
            Assert.Equal(RunStatus.TimedOut, outcome.Status);
            Assert.Equal(["blocked"], (await run.ReadToEndAsync()).SingleTerminalLast<RunTimedOut>().ActiveSteps);
        }
        finally
        {
            gate.Set();
        }
    }
}
