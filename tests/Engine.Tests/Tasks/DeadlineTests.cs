using System.Text.Json.Nodes;
using Workflows.Engine.Tests.Support;
using static Workflows.Engine.Tests.Tasks.TaskTestKit;

namespace Workflows.Engine.Tests.Tasks;

/// <summary>
/// Deadlines of human tasks, on a manual clock: a task past its due time shows as overdue; a default outcome
/// completes it as "deadline" and the run goes on; an escalation hands it to another group and it stays open.
/// </summary>
public sealed class DeadlineTests
{
    private static HumanTask Task(HumanTaskStatus status, DateTimeOffset? dueAt) => new()
    {
        Id = "t1",
        RunId = "r1",
        Workflow = "w",
        Step = "approve",
        Title = "Approve?",
        FormSchema = ApprovalForm(),
        Status = status,
        CreatedAt = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero),
        DueAt = dueAt,
    };

    [Fact]
    public void IsOverdue_OnlyWhilePendingPastItsDeadline()
    {
        var due = new DateTimeOffset(2025, 1, 2, 0, 0, 0, TimeSpan.Zero);

        Assert.True(Task(HumanTaskStatus.Pending, due).IsOverdue(due.AddTicks(1)));
        Assert.False(Task(HumanTaskStatus.Pending, due).IsOverdue(due));
        Assert.False(Task(HumanTaskStatus.Pending, due).IsOverdue(due.AddHours(-1)));
        Assert.False(Task(HumanTaskStatus.Pending, null).IsOverdue(DateTimeOffset.MaxValue));
        Assert.False(Task(HumanTaskStatus.Completed, due).IsOverdue(due.AddDays(1)));
        Assert.False(Task(HumanTaskStatus.Canceled, due).IsOverdue(due.AddDays(1)));
    }

    [Fact]
    public async Task Due_WithoutAction_TaskBecomesOverdueAndStaysOpen()
    {
        // Arrange
        var clock = new ManualTimeProvider();
        var engine = NewEngine(Definition("overdue", [new HumanStep("approve", "Approve?", ApprovalForm()) { Due = TimeSpan.FromHours(1) }, Noop("done")],
            [new Edge("approve", "done")], "approve", "done"), clock);
        var run = await engine.StartWorkflowAsync("overdue");
        var task = await engine.WaitForTaskAsync(run, "approve");
        await run.WaitForWaitingAsync();

        // Act
        var notYet = task.IsOverdue(clock.GetUtcNow());
        clock.Advance(TimeSpan.FromHours(2));
        var result = await engine.Tasks.CompleteAsync(task.Id, Approved(), new TaskCaller("late")).WaitAsync(Patience);

        // Assert: the deadline passed (the loop saw it before the answer) but nothing happened to the task.
        Assert.Equal(clock.GetUtcNow().AddHours(-2), task.CreatedAt);
        Assert.Equal(task.CreatedAt + TimeSpan.FromHours(1), task.DueAt);
        Assert.Equal(task.DueAt, Assert.Single(run.Items.Snapshot().OfType<TaskCreated>()).DueAt);
        Assert.False(notYet);
        Assert.True(task.IsOverdue(clock.GetUtcNow()));
        Assert.Equal("late", result.Task.CompletedBy);
        Assert.False(result.Task.IsOverdue(clock.GetUtcNow()));
        (await run.EndAsync()).Outcome.AssertStatus(RunStatus.Completed);
    }

    [Fact]
    public async Task Due_DefaultOutcome_CompletesAsDeadlineAndRunContinues()
    {
        // Arrange
        var clock = new ManualTimeProvider();
        bool? seen = null;
        var definition = Definition("default_outcome",
            [new HumanStep("approve", "Approve?", ApprovalForm()) { Assignee = "ann", Due = TimeSpan.FromHours(1), OnDue = DueAction.DefaultOutcome(Json("""{"approved": false, "comments": "no answer"}""")) },
             new MachineStep("after", ctx => seen = ctx.Get<bool>("approve.approved", true))],
            [new Edge("approve", "after")], "approve", "after");
        var engine = NewEngine(definition, clock);
        var run = await engine.StartWorkflowAsync("default_outcome");
        var task = await engine.WaitForTaskAsync(run, "approve");
        await run.WaitForWaitingAsync();

        // Act
        clock.Advance(TimeSpan.FromMinutes(59));
        var pendingBefore = engine.Tasks.Get(task.Id)!.Status;
        clock.Advance(TimeSpan.FromMinutes(1));
        var (outcome, items) = await run.EndAsync();

        // Assert
        Assert.Equal(HumanTaskStatus.Pending, pendingBefore);
        outcome.AssertStatus(RunStatus.Completed);
        Assert.Equal(false, seen);
        var completed = Assert.Single(items.OfType<TaskCompleted>());
        Assert.Equal((task.Id, "approve", "deadline"), (completed.TaskId, completed.Step, completed.CompletedBy));
        Assert.Equal("no answer", completed.Data["comments"]?.GetValue<string>());
        var closed = engine.Tasks.Get(task.Id)!;
        Assert.Equal((HumanTaskStatus.Completed, "deadline"), (closed.Status, closed.CompletedBy));
        Assert.Equal(task.DueAt, closed.CompletedAt);
        Assert.False(run.Store.Get<bool>("approve.approved", true));
        Assert.Contains(run.Store.History, w => w == new StateWrite("approve", "approve"));
        Assert.True(completed.Sequence < items.Seq(i => i.IsStep<StepStarted>("after")));
        await Assert.ThrowsAsync<TaskConflictException>(() => engine.Tasks.CompleteAsync(task.Id, Approved(), new TaskCaller("ann")));
    }

    [Fact]
    public async Task Due_DefaultOutcome_AnswerBeforeDeadline_DeadlineDoesNothing()
    {
        // Arrange
        var clock = new ManualTimeProvider();
        var definition = Definition("answered_in_time",
            [new HumanStep("approve", "Approve?", ApprovalForm()) { Due = TimeSpan.FromHours(1), OnDue = DueAction.DefaultOutcome(Approved(false)) }, Noop("done")],
            [new Edge("approve", "done")], "approve", "done");
        var engine = NewEngine(definition, clock);
        var run = await engine.StartWorkflowAsync("answered_in_time");
        var task = await engine.WaitForTaskAsync(run, "approve");

        // Act
        await engine.Tasks.CompleteAsync(task.Id, Approved(true), new TaskCaller("ann")).WaitAsync(Patience);
        var (outcome, items) = await run.EndAsync();
        clock.Advance(TimeSpan.FromHours(2));

        // Assert
        outcome.AssertStatus(RunStatus.Completed);
        Assert.Equal(0, clock.ArmedTimers); // the deadline timer was disposed with the answer
        Assert.Equal("ann", Assert.Single(items.OfType<TaskCompleted>()).CompletedBy);
        Assert.Equal("ann", engine.Tasks.Get(task.Id)!.CompletedBy);
        Assert.True(run.Store.Get<bool>("approve.approved"));
    }

    [Fact]
    public async Task Due_Escalate_ReassignsGroupAndTaskStaysOpen()
    {
        // Arrange
        var clock = new ManualTimeProvider();
        var definition = Definition("escalate",
            [new HumanStep("approve", "Approve?", ApprovalForm()) { Assignee = "ann", Due = TimeSpan.FromHours(1), OnDue = DueAction.Escalate("managers") }, Noop("done")],
            [new Edge("approve", "done")], "approve", "done");
        var engine = NewEngine(definition, clock);
        var run = await engine.StartWorkflowAsync("escalate");
        var task = await engine.WaitForTaskAsync(run, "approve");
        await run.WaitForWaitingAsync();

        // Act
        clock.Advance(TimeSpan.FromHours(1));
        var escalated = (TaskEscalated)(await run.ReadUntilCountAsync(i => i is TaskEscalated))[^1];
        var open = engine.Tasks.Get(task.Id)!;

        // Assert
        Assert.Equal((task.Id, "approve", "managers"), (escalated.TaskId, escalated.Step, escalated.Group));
        Assert.Equal(HumanTaskStatus.Pending, open.Status);
        Assert.Equal(("managers", (string?)null), (open.Group, open.Assignee));
        Assert.Equal(RunStatus.Waiting, run.Status);
        Assert.DoesNotContain(run.Items.Snapshot(), i => i is TaskCompleted or TaskCanceled or RunEnded);
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True(open.IsOverdue(clock.GetUtcNow()));
        Assert.Equal([task.Id], engine.Tasks.List(new TaskQuery { Group = "managers", Status = HumanTaskStatus.Pending }).Select(t => t.Id));
        await Assert.ThrowsAsync<TaskForbiddenException>(() => engine.Tasks.CompleteAsync(task.Id, Approved(), new TaskCaller("ann")));
        var result = await engine.Tasks.CompleteAsync(task.Id, Approved(), new TaskCaller("max", ["managers"])).WaitAsync(Patience);
        Assert.Equal("max", result.Task.CompletedBy);
        var (outcome, items) = await run.EndAsync();
        outcome.AssertStatus(RunStatus.Completed);
        Assert.Single(items.OfType<TaskEscalated>());
    }

    [Fact]
    public async Task Due_RunCanceled_DeadlineTimerDisposedAndNeverActs()
    {
        // Arrange
        var clock = new ManualTimeProvider();
        var definition = Definition("canceled_with_deadline",
            [new HumanStep("approve", "Approve?", ApprovalForm()) { Due = TimeSpan.FromHours(1), OnDue = DueAction.DefaultOutcome(Approved(false)) }, Noop("done")],
            [new Edge("approve", "done")], "approve", "done");
        var engine = NewEngine(definition, clock);
        var run = await engine.StartWorkflowAsync("canceled_with_deadline");
        var task = await engine.WaitForTaskAsync(run, "approve");
        await run.WaitForWaitingAsync();
        var armedWhileWaiting = clock.ArmedTimers;

        // Act
        Assert.True(run.Cancel());
        var (outcome, items) = await run.EndAsync();
        clock.Advance(TimeSpan.FromHours(2));

        // Assert
        Assert.Equal(1, armedWhileWaiting);
        Assert.Equal(0, clock.ArmedTimers);
        outcome.AssertStatus(RunStatus.Canceled);
        var closed = engine.Tasks.Get(task.Id)!;
        Assert.Equal(HumanTaskStatus.Canceled, closed.Status);
        Assert.Null(closed.CompletedBy);
        Assert.DoesNotContain(items, i => i is TaskCompleted);
    }

    [Fact]
    public void Registration_OnDueWithoutDue_Rejected()
    {
        var definition = Definition("no_due",
            [new HumanStep("approve", "Approve?", ApprovalForm()) { OnDue = DueAction.Escalate("managers") }, Noop("done")],
            [new Edge("approve", "done")], "approve", "done");

        var error = Assert.Throws<WorkflowValidationException>(() => new WorkflowRegistry().Register(definition));

        Assert.Contains(error.Errors, e => e.Contains("'approve'", StringComparison.Ordinal) && e.Contains("Due", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EventDriven_InputRequiredWithDefaultOutcome_RespondsAsDeadline()
    {
        // Arrange
        var clock = new ManualTimeProvider();
        var engine = NewEngine(new TimedAsk(), clock);
        var run = await engine.StartWorkflowAsync("timed_ask");
        var task = await engine.WaitForTaskAsync(run, "ask");
        await run.WaitForWaitingAsync();

        // Act
        clock.Advance(TimeSpan.FromMinutes(30));
        var (outcome, _) = await run.EndAsync();

        // Assert
        outcome.AssertStatus(RunStatus.Completed);
        Assert.Equal("deadline:False", outcome.Result);
        Assert.Equal("deadline", engine.Tasks.Get(task.Id)!.CompletedBy);
    }

    private sealed class TimedAsk : Workflow
    {
        [Step]
        public InputRequiredEvent Ask(StartEvent ev) => new("Approve?", ApprovalForm())
        {
            Due = TimeSpan.FromMinutes(30),
            OnDue = DueAction.DefaultOutcome(new JsonObject { ["approved"] = false }),
        };

        [Step]
        public StopEvent Decide(HumanResponseEvent ev) => new($"{ev.CompletedBy}:{ev.Get<bool>("approved")}");
    }
}
