using System.Text.Json.Nodes;
using Workflows.Engine.Tests.Support;
using static Workflows.Engine.Tests.Tasks.TaskTestKit;

namespace Workflows.Engine.Tests.Tasks;

/// <summary>
/// A graph human step pauses only its own branch, the run waits only when nothing else runs, and the validated
/// answer lands in the context under the step's name with the step recorded as its writer.
/// </summary>
public sealed class HumanStepTests
{
    [Fact]
    public async Task HumanStep_SiblingBranchRuns_OnlyItsBranchPausesAndRunWaitsOnlyWhenNothingElseRuns()
    {
        // Arrange: fork → approve (human) ──────────────→ join
        //          fork → work1 (blocks) → work2 ──────────↗
        var work1Entered = new Signal();
        var work1Gate = new Signal();
        var joinEntered = new Signal();
        var joinGate = new Signal();
        var definition = Definition("sibling_branch",
            [Noop("fork"), Human("approve"), Blocking("work1", work1Entered, work1Gate), Noop("work2"), Blocking("join", joinEntered, joinGate)],
            [new Edge("fork", "approve"), new Edge("fork", "work1"), new Edge("work1", "work2"), new Edge("approve", "join"), new Edge("work2", "join")],
            "fork", "join");
        var engine = NewEngine(definition);

        try
        {
            // Act 1: the task is open while work1 runs.
            var run = await engine.StartWorkflowAsync("sibling_branch");
            var task = await engine.WaitForTaskAsync(run, "approve");
            await work1Entered.WaitAsync();

            // Assert 1: a task open beside a running step does not make the run wait.
            Assert.Equal(HumanTaskStatus.Pending, task.Status);
            Assert.Equal(RunStatus.Running, run.Status);
            Assert.DoesNotContain(run.Items.Snapshot(), i => i is RunWaiting);

            // Act 2: the sibling branch goes on to its end; only then does the run wait.
            work1Gate.Set();
            var waiting = await run.WaitForWaitingAsync();
            var items = run.Items.Snapshot();

            // Assert 2
            Assert.Equal(RunStatus.Waiting, run.Status);
            Assert.Equal([task.Id], waiting.OpenTasks);
            var created = items.Seq(i => i is TaskCreated);
            var work2Started = items.Seq(i => i.IsStep<StepStarted>("work2"));
            var work2Completed = items.Seq(i => i.IsStep<StepCompleted>("work2"));
            Assert.True(created < work2Started && work2Started < work2Completed && work2Completed < waiting.Sequence,
                $"task.created {created}, work2 started {work2Started} / completed {work2Completed}, run.waiting {waiting.Sequence}");
            Assert.DoesNotContain(items, i => i is TaskCompleted);
            Assert.DoesNotContain(items, i => i.IsStep<StepStarted>("join"));
            Assert.Equal(HumanTaskStatus.Pending, engine.Tasks.Get(task.Id)!.Status);

            // Act 3: answering resumes the branch; the join runs, so the run is running again.
            var result = await engine.Tasks.CompleteAsync(task.Id, Approved(), new TaskCaller("ann")).WaitAsync(Patience);
            await joinEntered.WaitAsync();

            // Assert 3
            Assert.Equal(RunStatus.Running, result.RunStatus);
            Assert.Equal(RunStatus.Running, run.Status);
            Assert.Equal(HumanTaskStatus.Completed, result.Task.Status);
            Assert.Equal("ann", result.Task.CompletedBy);

            joinGate.Set();
            var (outcome, all) = await run.EndAsync();
            outcome.AssertStatus(RunStatus.Completed);
            all.SingleTerminalLast<RunCompleted>();
            Assert.Single(all.OfType<RunWaiting>());
            Assert.True(all.Seq(i => i is TaskCompleted) < all.Seq(i => i.IsStep<StepStarted>("join")));
        }
        finally
        {
            work1Gate.Set();
            joinGate.Set();
        }
    }

    [Fact]
    public async Task HumanStep_ValidAnswer_StoredUnderStepNameWithStepAsWriter()
    {
        // Arrange
        JsonNode? seenApproved = null;
        JsonNode? seenComments = null;
        var definition = Definition("store_answer",
            [Human("approve"), new MachineStep("record", ctx =>
            {
                seenApproved = ctx.Get<JsonNode>("approve.approved");
                seenComments = ctx.Get<JsonNode>("approve.comments");
            })],
            [new Edge("approve", "record")],
            "approve", "record");
        var engine = NewEngine(definition);

        // Act
        var run = await engine.StartWorkflowAsync("store_answer", new { requester = "rob" });
        var task = await engine.WaitForTaskAsync(run, "approve");
        await run.WaitForWaitingAsync();
        var historyBefore = run.Store.History.Count;
        var answer = Json("""{"approved": true, "comments": "fine"}""");
        var result = await engine.Tasks.CompleteAsync(task.Id, answer, new TaskCaller("ann")).WaitAsync(Patience);
        var (outcome, items) = await run.EndAsync();

        // Assert
        outcome.AssertStatus(RunStatus.Completed);
        Assert.True(run.Store.Get<bool>("approve.approved"));
        Assert.Equal("fine", run.Store.Get<string>("approve.comments"));
        Assert.Equal("rob", run.Store.Get<string>("requester")); // the input is still there
        Assert.Equal(true, seenApproved?.GetValue<bool>());
        Assert.Equal("fine", seenComments?.GetValue<string>());
        var context = Assert.IsType<JsonObject>(outcome.Result);
        Assert.True(JsonNode.DeepEquals(answer, context["approve"]), context.ToJsonString());
        var write = Assert.Single(run.Store.History.Skip(historyBefore));
        Assert.Equal(new StateWrite("approve", "approve"), write);
        var completed = Assert.Single(items.OfType<TaskCompleted>());
        Assert.Equal(("approve", "ann", task.Id), (completed.Step, completed.CompletedBy, completed.TaskId));
        Assert.True(JsonNode.DeepEquals(answer, completed.Data));
        Assert.True(JsonNode.DeepEquals(answer, result.Task.Data));
        // A machine step follows the answer: the run is running it, or has already finished it.
        Assert.True(result.RunStatus is RunStatus.Running or RunStatus.Completed, $"run status after the answer: {result.RunStatus}");
    }

    [Fact]
    public async Task HumanStep_InvalidAnswer_EveryViolationReportedNothingStoredTaskStillOpen()
    {
        // Arrange
        var definition = Definition("invalid_answer", [new HumanStep("review", "Risk?", RiskForm()), Noop("done")],
            [new Edge("review", "done")], "review", "done");
        var engine = NewEngine(definition);
        var run = await engine.StartWorkflowAsync("invalid_answer");
        var task = await engine.WaitForTaskAsync(run, "review");
        await run.WaitForWaitingAsync();
        var historyBefore = run.Store.History.Count;

        // Act: three violations at once (missing, not in the list, too long).
        var bad = Json("""{"risk_level": "extreme", "comments": "far too long a comment"}""");
        var error = await Assert.ThrowsAsync<FormValidationException>(() => engine.Tasks.CompleteAsync(task.Id, bad, new TaskCaller("ann")));
        var notAnObject = await Assert.ThrowsAsync<FormValidationException>(() => engine.Tasks.CompleteAsync(task.Id, JsonValue.Create(42), new TaskCaller("ann")));

        // Assert
        Assert.Equal(task.Id, error.TaskId);
        Assert.Equal(["/approved", "/comments", "/risk_level"], error.Errors.Select(e => e.Pointer).Order(StringComparer.Ordinal));
        Assert.All(error.Errors, e => Assert.False(string.IsNullOrWhiteSpace(e.Message)));
        Assert.All(error.Errors, e => Assert.Contains(e.Pointer, error.Message, StringComparison.Ordinal));
        Assert.Equal("", Assert.Single(notAnObject.Errors).Pointer);
        Assert.Null(run.Store.Get<JsonNode>("review"));
        Assert.Equal(historyBefore, run.Store.History.Count);
        Assert.Equal(HumanTaskStatus.Pending, engine.Tasks.Get(task.Id)!.Status);
        Assert.Null(engine.Tasks.Get(task.Id)!.Data);
        Assert.DoesNotContain(run.Items.Snapshot(), i => i is TaskCompleted);
        Assert.Equal(RunStatus.Waiting, run.Status);

        // And the refusal did not hold the task: a valid answer still goes through.
        var result = await engine.Tasks.CompleteAsync(task.Id, Json("""{"approved": false, "risk_level": "high"}"""), new TaskCaller("ann")).WaitAsync(Patience);
        var (outcome, items) = await run.EndAsync();
        outcome.AssertStatus(RunStatus.Completed);
        Assert.Equal(HumanTaskStatus.Completed, result.Task.Status);
        Assert.Equal("high", run.Store.Get<string>("review.risk_level"));
        Assert.Single(items.OfType<TaskCompleted>());
    }

    [Fact]
    public async Task HumanStep_WrongAssignee_RefusedAndTaskStaysOpen()
    {
        // Arrange
        var definition = Definition("assigned", [new HumanStep("approve", "Approve?", ApprovalForm()) { Assignee = "ann" }, Noop("done")],
            [new Edge("approve", "done")], "approve", "done");
        var engine = NewEngine(definition);
        var run = await engine.StartWorkflowAsync("assigned");
        var task = await engine.WaitForTaskAsync(run, "approve");
        await run.WaitForWaitingAsync();

        // Act
        var refused = await Assert.ThrowsAsync<TaskForbiddenException>(() => engine.Tasks.CompleteAsync(task.Id, Approved(), new TaskCaller("bob", ["ann"])));
        var refusedCancel = await Assert.ThrowsAsync<TaskForbiddenException>(() => engine.Tasks.CancelAsync(task.Id, new TaskCaller("bob")));

        // Assert
        Assert.Equal("ann", task.Assignee);
        Assert.Equal(task.Id, refused.TaskId);
        Assert.Contains("bob", refused.Message, StringComparison.Ordinal);
        Assert.Equal(task.Id, refusedCancel.TaskId);
        Assert.Equal(HumanTaskStatus.Pending, engine.Tasks.Get(task.Id)!.Status);
        Assert.DoesNotContain(run.Items.Snapshot(), i => i is TaskCompleted or TaskCanceled);
        Assert.Equal(RunStatus.Waiting, run.Status);

        var result = await engine.Tasks.CompleteAsync(task.Id, Approved(), new TaskCaller("ann")).WaitAsync(Patience);
        Assert.Equal("ann", result.Task.CompletedBy);
        (await run.EndAsync()).Outcome.AssertStatus(RunStatus.Completed);
    }

    [Fact]
    public async Task HumanStep_Group_MemberAllowedNonMemberRefused()
    {
        // Arrange
        var definition = Definition("grouped", [new HumanStep("approve", "Approve?", ApprovalForm()) { Group = "legal" }, Noop("done")],
            [new Edge("approve", "done")], "approve", "done");
        var engine = NewEngine(definition);
        var run = await engine.StartWorkflowAsync("grouped");
        var task = await engine.WaitForTaskAsync(run, "approve");
        await run.WaitForWaitingAsync();

        // Act
        await Assert.ThrowsAsync<TaskForbiddenException>(() => engine.Tasks.CompleteAsync(task.Id, Approved(), new TaskCaller("eve", ["finance"])));
        await Assert.ThrowsAsync<TaskForbiddenException>(() => engine.Tasks.CompleteAsync(task.Id, Approved(), new TaskCaller("legal")));
        var pendingAfterRefusals = engine.Tasks.Get(task.Id)!.Status;
        var result = await engine.Tasks.CompleteAsync(task.Id, Approved(), new TaskCaller("lea", ["finance", "legal"])).WaitAsync(Patience);

        // Assert
        Assert.Equal("legal", task.Group);
        Assert.Null(task.Assignee);
        Assert.Equal(HumanTaskStatus.Pending, pendingAfterRefusals);
        Assert.Equal("lea", result.Task.CompletedBy);
        var (outcome, items) = await run.EndAsync();
        outcome.AssertStatus(RunStatus.Completed);
        Assert.Equal("lea", Assert.Single(items.OfType<TaskCompleted>()).CompletedBy);
    }

    [Fact]
    public async Task HumanStep_NoAssigneeNoGroup_AnyoneMayComplete()
    {
        // Arrange
        var definition = Definition("open_task", [Human("approve"), Noop("done")], [new Edge("approve", "done")], "approve", "done");
        var engine = NewEngine(definition);
        var run = await engine.StartWorkflowAsync("open_task");
        var task = await engine.WaitForTaskAsync(run, "approve");

        // Act
        var result = await engine.Tasks.CompleteAsync(task.Id, Approved(), new TaskCaller("somebody")).WaitAsync(Patience);

        // Assert
        Assert.Null(task.Assignee);
        Assert.Null(task.Group);
        Assert.Equal("somebody", result.Task.CompletedBy);
        (await run.EndAsync()).Outcome.AssertStatus(RunStatus.Completed);
    }

    [Fact]
    public async Task HumanStep_AssigneeFrom_ReadsTheContext()
    {
        // Arrange: the manager is decided by an earlier step.
        var definition = Definition("assignee_from",
            [new MachineStep("route", ctx => ctx.Set("manager", ctx.Get<string>("requester") == "rob" ? "mia" : "max")),
             new HumanStep("approve", "Approve?", ApprovalForm()) { AssigneeFrom = "manager" }, Noop("done")],
            [new Edge("route", "approve"), new Edge("approve", "done")], "route", "done");
        var engine = NewEngine(definition);
        var run = await engine.StartWorkflowAsync("assignee_from", new { requester = "rob" });
        var task = await engine.WaitForTaskAsync(run, "approve");
        var created = Assert.Single(run.Items.Snapshot().OfType<TaskCreated>());

        // Act
        await Assert.ThrowsAsync<TaskForbiddenException>(() => engine.Tasks.CompleteAsync(task.Id, Approved(), new TaskCaller("max")));
        var result = await engine.Tasks.CompleteAsync(task.Id, Approved(), new TaskCaller("mia")).WaitAsync(Patience);

        // Assert
        Assert.Equal("mia", task.Assignee);
        Assert.Equal("mia", created.Assignee);
        Assert.Equal("mia", result.Task.CompletedBy);
        (await run.EndAsync()).Outcome.AssertStatus(RunStatus.Completed);
    }

    [Theory]
    [InlineData("""{"requester": "rob"}""")]
    [InlineData("""{"manager": 42}""")]
    [InlineData("""{"manager": ""}""")]
    public async Task HumanStep_AssigneeFromWithoutUserName_RunFailsNamingTheStepAndNoTaskOpens(string input)
    {
        // Arrange: a task whose assignee cannot be read must not open to anyone.
        var definition = Definition("assignee_missing",
            [Noop("start"), new HumanStep("approve", "Approve?", ApprovalForm()) { AssigneeFrom = "manager" }, Noop("done")],
            [new Edge("start", "approve"), new Edge("approve", "done")], "start", "done");
        var engine = NewEngine(definition);

        // Act
        var run = await engine.StartWorkflowAsync("assignee_missing", Json(input));
        var (outcome, items) = await run.EndAsync();

        // Assert
        outcome.AssertStatus(RunStatus.Failed);
        Assert.Equal(("approve", "assignee_missing"), (outcome.Error!.Step, outcome.Error.Type));
        Assert.Contains("manager", outcome.Error.Message, StringComparison.Ordinal);
        items.SingleTerminalLast<RunFailed>();
        Assert.DoesNotContain(items, i => i is TaskCreated or RunWaiting);
        Assert.Empty(engine.Tasks.List());
    }

    [Fact]
    public async Task HumanStep_TaskRecord_DescribesTheStep()
    {
        // Arrange
        var form = ApprovalForm();
        var definition = Definition("described",
            [new HumanStep("approve", "Approve the contract?", form) { Description = "Read clause 7 first.", Assignee = "ann", Group = "legal" }, Noop("done")],
            [new Edge("approve", "done")], "approve", "done");
        var engine = NewEngine(definition);

        // Act
        var run = await engine.StartWorkflowAsync("described");
        var task = await engine.WaitForTaskAsync(run, "approve");
        var created = Assert.Single(run.Items.Snapshot().OfType<TaskCreated>());

        // Assert
        Assert.Equal((run.RunId, "described", "approve"), (task.RunId, task.Workflow, task.Step));
        Assert.Equal(("Approve the contract?", "Read clause 7 first."), (task.Title, task.Description));
        Assert.True(JsonNode.DeepEquals(form, task.FormSchema));
        Assert.Equal(("ann", "legal"), (task.Assignee, task.Group));
        Assert.Null(task.DueAt);
        Assert.False(task.IsOverdue(DateTimeOffset.MaxValue));
        Assert.Equal((task.Id, "approve", "Approve the contract?", "ann", "legal"), (created.TaskId, created.Step, created.Title, created.Assignee, created.Group));
        Assert.True(run.Cancel());
        await run.EndAsync();
    }

    [Fact]
    public async Task HumanStepsInParallelGroup_OneAnswered_RunStillWaitingThenCompletes()
    {
        // Arrange
        var definition = Definition("two_approvals", [new ParallelGroup("approvals", [Human("legal"), Human("finance")])], [], "approvals", "approvals");
        var engine = NewEngine(definition);
        var run = await engine.StartWorkflowAsync("two_approvals");
        await run.WaitForWaitingAsync();
        var tasks = engine.Tasks.List(new TaskQuery { RunId = run.RunId }).ToDictionary(t => t.Step);

        // Act
        var first = await engine.Tasks.CompleteAsync(tasks["legal"].Id, Approved(), new TaskCaller("ann")).WaitAsync(Patience);
        var statusBetween = run.Status;
        var second = await engine.Tasks.CompleteAsync(tasks["finance"].Id, Approved(false), new TaskCaller("fin")).WaitAsync(Patience);
        var (outcome, items) = await run.EndAsync();

        // Assert
        Assert.Equal(RunStatus.Waiting, first.RunStatus);
        Assert.Equal(RunStatus.Waiting, statusBetween);
        Assert.Equal(RunStatus.Completed, second.RunStatus);
        outcome.AssertStatus(RunStatus.Completed);
        Assert.True(run.Store.Get<bool>("legal.approved"));
        Assert.False(run.Store.Get<bool>("finance.approved", true));
        Assert.Equal(2, items.OfType<TaskCreated>().Count(c => c.StepGroup == "approvals"));
    }

    [Fact]
    public void Registration_InvalidFormSchema_RejectedNamingTheStep()
    {
        // Arrange
        var definition = Definition("bad_form",
            [new HumanStep("approve", "Approve?", Json("""{"type": "banana"}""")),
             new ParallelGroup("reviews", [new HumanStep("legal", "Legal?", Json("""{"type": "object", "required": "approved"}"""))])],
            [new Edge("approve", "reviews")], "approve", "reviews");

        // Act
        var error = Assert.Throws<WorkflowValidationException>(() => new WorkflowRegistry().Register(definition));

        // Assert
        Assert.Equal("bad_form", error.Workflow);
        Assert.Contains(error.Errors, e => e.Contains("'approve'", StringComparison.Ordinal) && e.Contains("form schema is invalid", StringComparison.Ordinal) && e.Contains("banana", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.Contains("'legal'", StringComparison.Ordinal) && e.Contains("required", StringComparison.Ordinal));
    }

    [Fact]
    public void Registration_DefaultOutcomeViolatingForm_RejectedNamingTheStep()
    {
        // Arrange
        var definition = Definition("bad_default",
            [new HumanStep("approve", "Approve?", ApprovalForm()) { Due = TimeSpan.FromHours(1), OnDue = DueAction.DefaultOutcome(Json("""{"approved": "maybe"}""")) }, Noop("done")],
            [new Edge("approve", "done")], "approve", "done");

        // Act
        var error = Assert.Throws<WorkflowValidationException>(() => new WorkflowRegistry().Register(definition));

        // Assert
        var message = Assert.Single(error.Errors);
        Assert.Contains("'approve'", message, StringComparison.Ordinal);
        Assert.Contains("default outcome", message, StringComparison.Ordinal);
        Assert.Contains("/approved", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Registration_ValidDefaultOutcome_Accepted()
    {
        var definition = Definition("good_default",
            [new HumanStep("approve", "Approve?", ApprovalForm()) { Due = TimeSpan.FromHours(1), OnDue = DueAction.DefaultOutcome(Approved(false)) }, Noop("done")],
            [new Edge("approve", "done")], "approve", "done");

        new WorkflowRegistry().Register(definition);
    }
}
