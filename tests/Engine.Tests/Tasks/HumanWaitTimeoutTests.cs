using Workflows.Engine.Tests.Support;
using static Workflows.Engine.Tests.Tasks.TaskTestKit;

namespace Workflows.Engine.Tests.Tasks;

/// <summary>
/// The run timeout and human waits, on a manual clock: by default time spent waiting for a person is not counted
/// (the timer pauses and resumes with what was left); with <c>TimeoutIncludesHumanWait</c> it is, and the run
/// times out naming the human step.
/// </summary>
/// <remarks>
/// The clock fires timers inside <see cref="ManualTimeProvider.Advance"/>, so a timeout that fires posts its tick
/// before the test's next call posts anything: when a completion after an advance is accepted, the timeout did not
/// fire during that advance.
/// </remarks>
public sealed class HumanWaitTimeoutTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMilliseconds(300);

    [Fact]
    public async Task Timeout_Default_WaitingTimeNotCounted_RunFinishesAfterAnswer()
    {
        // Arrange
        var clock = new ManualTimeProvider();
        var definition = Definition("wait_not_counted", [Human("approve"), Noop("done")], [new Edge("approve", "done")], "approve", "done") with { Timeout = Limit };
        var engine = NewEngine(definition, clock);
        var run = await engine.StartWorkflowAsync("wait_not_counted");
        var task = await engine.WaitForTaskAsync(run, "approve");
        await run.WaitForWaitingAsync();

        // Act: the task stays open for twice the run's timeout.
        clock.Advance(TimeSpan.FromMilliseconds(600));
        var result = await engine.Tasks.CompleteAsync(task.Id, Approved(), new TaskCaller("ann")).WaitAsync(Patience);
        var (outcome, items) = await run.EndAsync();

        // Assert
        // A machine step follows the answer: the run is running it, or has already finished it.
        Assert.True(result.RunStatus is RunStatus.Running or RunStatus.Completed, $"run status after the answer: {result.RunStatus}");
        outcome.AssertStatus(RunStatus.Completed);
        items.SingleTerminalLast<RunCompleted>();
        Assert.DoesNotContain(items, i => i is RunTimedOut);
    }

    [Fact]
    public async Task Timeout_Default_BudgetLeftBeforeWaitingIsKeptAfterIt()
    {
        // Arrange: prepare (machine) → approve (human) → finish (machine), timeout 300 ms.
        var clock = new ManualTimeProvider();
        var prepareEntered = new Signal();
        var prepareGate = new Signal();
        var finishEntered = new Signal();
        var finishGate = new Signal();
        var definition = Definition("budget_kept",
            [Blocking("prepare", prepareEntered, prepareGate), Human("approve"), Blocking("finish", finishEntered, finishGate)],
            [new Edge("prepare", "approve"), new Edge("approve", "finish")], "prepare", "finish") with { Timeout = Limit };
        var engine = NewEngine(definition, clock);

        try
        {
            // Act 1: 200 ms of running time are spent, then the run waits for 600 ms.
            var run = await engine.StartWorkflowAsync("budget_kept");
            await prepareEntered.WaitAsync();
            clock.Advance(TimeSpan.FromMilliseconds(200));
            prepareGate.Set();
            var task = await engine.WaitForTaskAsync(run, "approve");
            await run.WaitForWaitingAsync();
            clock.Advance(TimeSpan.FromMilliseconds(600));
            var result = await engine.Tasks.CompleteAsync(task.Id, Approved(), new TaskCaller("ann")).WaitAsync(Patience);
            await finishEntered.WaitAsync();

            // Assert 1: the wait did not count; the run runs on.
            Assert.Equal(RunStatus.Running, result.RunStatus);
            Assert.Equal(RunStatus.Running, run.Status);

            // Act 2: the 100 ms left run out while "finish" works.
            clock.Advance(TimeSpan.FromMilliseconds(100));
            var (outcome, items) = await run.EndAsync();

            // Assert 2
            outcome.AssertStatus(RunStatus.TimedOut);
            Assert.Equal(["finish"], items.SingleTerminalLast<RunTimedOut>().ActiveSteps);
        }
        finally
        {
            prepareGate.Set();
            finishGate.Set();
        }
    }

    [Fact]
    public async Task Timeout_IncludesHumanWait_TimesOutNamingTheHumanStep()
    {
        // Arrange
        var clock = new ManualTimeProvider();
        var definition = Definition("wait_counted", [Human("approve"), Noop("done")], [new Edge("approve", "done")], "approve", "done")
            with { Timeout = Limit, TimeoutIncludesHumanWait = true };
        var engine = NewEngine(definition, clock);
        var run = await engine.StartWorkflowAsync("wait_counted");
        var task = await engine.WaitForTaskAsync(run, "approve");
        await run.WaitForWaitingAsync();

        // Act
        clock.Advance(TimeSpan.FromMilliseconds(600));
        var (outcome, items) = await run.EndAsync();

        // Assert
        outcome.AssertStatus(RunStatus.TimedOut);
        Assert.Equal("timeout", outcome.Error!.Type);
        Assert.Contains("approve", outcome.Error.Message, StringComparison.Ordinal);
        var timedOut = items.SingleTerminalLast<RunTimedOut>();
        Assert.Equal(["approve"], timedOut.ActiveSteps);
        Assert.Equal(RunStatus.TimedOut, run.Status);
        Assert.Equal(HumanTaskStatus.Canceled, engine.Tasks.Get(task.Id)!.Status);
        Assert.True(Assert.Single(items.OfType<TaskCanceled>()).Sequence < timedOut.Sequence);
        Assert.DoesNotContain(items, i => i.IsStep<StepStarted>("done"));
        await Assert.ThrowsAsync<TaskConflictException>(() => engine.Tasks.CompleteAsync(task.Id, Approved(), new TaskCaller("ann")));
    }

    private sealed class AskThenStop : Workflow
    {
        [Step]
        public InputRequiredEvent Ask(StartEvent ev) => new("Go on?", ApprovalForm());

        [Step]
        public StopEvent Decide(HumanResponseEvent ev) => new(ev.CompletedBy);
    }

    [Fact]
    public async Task Timeout_EventDriven_DefaultNotCountedButCountedWhenAsked()
    {
        // Arrange
        var clock = new ManualTimeProvider();
        var registry = new WorkflowRegistry();
        registry.Register(new AskThenStop { Timeout = Limit });
        var engine = new LocalExecutionEngine(registry, timeProvider: clock);
        var counting = new ManualTimeProvider();
        var countingEngine = NewEngine(new AskThenStop { Timeout = Limit, TimeoutIncludesHumanWait = true }, counting);

        // Act
        var run = await engine.StartWorkflowAsync("ask_then_stop");
        var task = await engine.WaitForTaskAsync(run, "ask");
        await run.WaitForWaitingAsync();
        clock.Advance(TimeSpan.FromMilliseconds(600));
        await engine.Tasks.CompleteAsync(task.Id, Approved(), new TaskCaller("ann")).WaitAsync(Patience);
        var (outcome, _) = await run.EndAsync();

        var countingRun = await countingEngine.StartWorkflowAsync("ask_then_stop");
        await countingRun.WaitForWaitingAsync();
        counting.Advance(TimeSpan.FromMilliseconds(600));
        var (countingOutcome, countingItems) = await countingRun.EndAsync();

        // Assert
        outcome.AssertStatus(RunStatus.Completed);
        Assert.Equal("ann", outcome.Result);
        countingOutcome.AssertStatus(RunStatus.TimedOut);
        Assert.Equal(["ask"], countingItems.SingleTerminalLast<RunTimedOut>().ActiveSteps);
    }
}
