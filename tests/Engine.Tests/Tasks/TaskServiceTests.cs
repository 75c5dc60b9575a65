using System.Text.Json.Nodes;
using Workflows.Engine.Tests.Support;
using static Workflows.Engine.Tests.Tasks.TaskTestKit;

namespace Workflows.Engine.Tests.Tasks;

/// <summary>
/// The task service's rules: a task is completed at most once (also under concurrent calls), never after its run
/// ended; ending a run closes its tasks; withdrawing a task ends its branch; and the inbox filters.
/// </summary>
public sealed class TaskServiceTests
{
    private static WorkflowDefinition TwoApprovals(string name = "two_approvals") =>
        Definition(name, [new ParallelGroup("approvals", [Human("legal"), Human("finance")])], [], "approvals", "approvals");

    private static async Task<(LocalExecutionEngine Engine, RunHandle Run, Dictionary<string, HumanTask> Tasks)> StartWaitingAsync(WorkflowDefinition definition, object? input = null)
    {
        var engine = NewEngine(definition);
        var run = await engine.StartWorkflowAsync(definition.Name, input);
        await run.WaitForWaitingAsync();
        return (engine, run, engine.Tasks.List(new TaskQuery { RunId = run.RunId }).ToDictionary(t => t.Step));
    }

    [Fact]
    public async Task CompleteAsync_UnknownTask_NotFound()
    {
        var engine = NewEngine(TwoApprovals());

        var error = await Assert.ThrowsAsync<TaskNotFoundException>(() => engine.Tasks.CompleteAsync("nope", Approved(), new TaskCaller("ann")));

        Assert.Equal("nope", error.TaskId);
        Assert.Null(engine.Tasks.Get("nope"));
    }

    [Fact]
    public async Task CompleteAsync_Twice_SecondIsConflictAndFirstAnswerKept()
    {
        // Arrange: two tasks, so the run outlives the first answer.
        var (engine, run, tasks) = await StartWaitingAsync(TwoApprovals());
        var legal = tasks["legal"].Id;

        // Act
        await engine.Tasks.CompleteAsync(legal, Approved(true), new TaskCaller("ann")).WaitAsync(Patience);
        var again = await Assert.ThrowsAsync<TaskConflictException>(() => engine.Tasks.CompleteAsync(legal, Approved(false), new TaskCaller("bob")));

        // Assert
        Assert.Equal(legal, again.TaskId);
        Assert.Contains("already completed", again.Message, StringComparison.Ordinal);
        var task = engine.Tasks.Get(legal)!;
        Assert.Equal(("ann", HumanTaskStatus.Completed), (task.CompletedBy, task.Status));
        Assert.True(run.Store.Get<bool>("legal.approved"));
        Assert.Single(run.Items.Snapshot().OfType<TaskCompleted>());
        Assert.Equal(RunStatus.Waiting, run.Status);

        // The last task ends the run; completing it again is a conflict too.
        await engine.Tasks.CompleteAsync(tasks["finance"].Id, Approved(), new TaskCaller("fin")).WaitAsync(Patience);
        (await run.EndAsync()).Outcome.AssertStatus(RunStatus.Completed);
        await Assert.ThrowsAsync<TaskConflictException>(() => engine.Tasks.CompleteAsync(tasks["finance"].Id, Approved(), new TaskCaller("fin")));
        await Assert.ThrowsAsync<TaskConflictException>(() => engine.Tasks.CancelAsync(tasks["finance"].Id, new TaskCaller("fin")));
    }

    [Fact]
    public async Task CompleteAsync_ConcurrentCallsOnOneTask_ExactlyOneSucceeds()
    {
        // Repeated, so the two calls meet at different points (claim, loop, acknowledgement).
        for (var round = 0; round < 25; round++)
        {
            // Arrange
            var (engine, run, tasks) = await StartWaitingAsync(TwoApprovals($"race_{round}"));
            var legal = tasks["legal"].Id;
            var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Task<TaskCompletionResult> Attempt(string user, bool approved) => Task.Run(async () =>
            {
                await go.Task;
                return await engine.Tasks.CompleteAsync(legal, Approved(approved), new TaskCaller(user));
            });
            var ann = Attempt("ann", true);
            var bob = Attempt("bob", false);

            // Act
            go.SetResult();
            var settled = await Task.WhenAll(ann.ContinueWith(t => t), bob.ContinueWith(t => t)).WaitAsync(Patience);

            // Assert
            var winner = await Assert.Single(settled, t => t.IsCompletedSuccessfully);
            var loser = Assert.Single(settled, t => !t.IsCompletedSuccessfully);
            Assert.IsType<TaskConflictException>(loser.Exception!.InnerException);
            var winningUser = winner.Task.CompletedBy!;
            Assert.Contains(winningUser, new[] { "ann", "bob" });
            Assert.Equal(winningUser == "ann", run.Store.Get<bool>("legal.approved"));
            var completed = Assert.Single(run.Items.Snapshot().OfType<TaskCompleted>());
            Assert.Equal(winningUser, completed.CompletedBy);
            Assert.Equal(winningUser, engine.Tasks.Get(legal)!.CompletedBy);

            Assert.True(run.Cancel());
            await run.EndAsync();
        }
    }

    [Fact]
    public async Task CompleteAsync_AfterRunCanceled_Conflict()
    {
        // Arrange
        var (engine, run, tasks) = await StartWaitingAsync(TwoApprovals());

        // Act
        Assert.True(run.Cancel("no longer needed"));
        (await run.EndAsync()).Outcome.AssertStatus(RunStatus.Canceled);
        var error = await Assert.ThrowsAsync<TaskConflictException>(() => engine.Tasks.CompleteAsync(tasks["legal"].Id, Approved(), new TaskCaller("ann")));

        // Assert
        Assert.Equal(tasks["legal"].Id, error.TaskId);
        Assert.Equal(HumanTaskStatus.Canceled, engine.Tasks.Get(tasks["legal"].Id)!.Status);
        Assert.DoesNotContain(run.Items.Snapshot(), i => i is TaskCompleted);
        Assert.Null(run.Store.Get<JsonNode>("legal"));
    }

    [Fact]
    public async Task RunCancel_ClosesOpenTasks()
    {
        // Arrange
        var (engine, run, tasks) = await StartWaitingAsync(TwoApprovals());

        // Act
        Assert.True(run.Cancel("stop"));
        var (outcome, items) = await run.EndAsync();

        // Assert
        outcome.AssertStatus(RunStatus.Canceled);
        var terminal = items.SingleTerminalLast<RunCanceled>();
        foreach (var (step, created) in tasks)
        {
            var task = engine.Tasks.Get(created.Id)!;
            Assert.Equal(HumanTaskStatus.Canceled, task.Status);
            Assert.False(string.IsNullOrWhiteSpace(task.CancelReason));
            Assert.NotNull(task.CompletedAt);
            Assert.Null(task.CompletedBy);
            var canceled = Assert.Single(items.OfType<TaskCanceled>(), c => c.TaskId == created.Id);
            Assert.Equal(step, canceled.Step);
            Assert.Equal(task.CancelReason, canceled.Reason);
            Assert.True(canceled.Sequence < terminal.Sequence);
        }
        Assert.Empty(engine.Tasks.List(new TaskQuery { RunId = run.RunId, Status = HumanTaskStatus.Pending }));
    }

    [Fact]
    public async Task CancelAsync_TopLevelHumanStep_BranchEndsAndRunFailsNamingIt()
    {
        // Arrange: the only way to the terminal goes through the human step.
        var (engine, run, tasks) = await StartWaitingAsync(Definition("withdrawn", [Human("approve"), Noop("finish")],
            [new Edge("approve", "finish")], "approve", "finish"));
        var approve = tasks["approve"].Id;

        // Act
        var canceled = await engine.Tasks.CancelAsync(approve, new TaskCaller("ann"), "not needed").WaitAsync(Patience);
        var (outcome, items) = await run.EndAsync();

        // Assert
        Assert.Equal((HumanTaskStatus.Canceled, "not needed"), (canceled.Status, canceled.CancelReason));
        Assert.Equal(HumanTaskStatus.Canceled, engine.Tasks.Get(approve)!.Status);
        var item = Assert.Single(items.OfType<TaskCanceled>());
        Assert.Equal((approve, "approve", "not needed"), (item.TaskId, item.Step, item.Reason));
        outcome.AssertStatus(RunStatus.Failed);
        Assert.Equal("no_terminal_step", outcome.Error!.Type);
        Assert.Contains("approve", outcome.Error.Message, StringComparison.Ordinal);
        Assert.Equal("no_terminal_step", items.SingleTerminalLast<RunFailed>().Error.Type);
        Assert.DoesNotContain(items, i => i.IsStep<StepStarted>("finish"));
        Assert.DoesNotContain(items, i => i is TaskCompleted);
        Assert.Null(run.Store.Get<JsonNode>("approve"));
        await Assert.ThrowsAsync<TaskConflictException>(() => engine.Tasks.CompleteAsync(approve, Approved(), new TaskCaller("ann")));
    }

    [Fact]
    public async Task CancelAsync_TopLevelHumanStepBesideALiveBranch_ItsSuccessorsNeverRunAndTheJoinStillFires()
    {
        // Arrange: fork → approve → after_approve → join;  fork → other → join (terminal).
        var (engine, run, tasks) = await StartWaitingAsync(Definition("withdrawn_branch",
            [Noop("fork"), Human("approve"), Noop("after_approve"), Noop("other"), Noop("join")],
            [new Edge("fork", "approve"), new Edge("approve", "after_approve"), new Edge("after_approve", "join"), new Edge("fork", "other"), new Edge("other", "join")],
            "fork", "join"));

        // Act: by now "other" has finished (the run waits), so the join waits for the human branch only.
        await engine.Tasks.CancelAsync(tasks["approve"].Id, new TaskCaller("ann")).WaitAsync(Patience);
        var (outcome, items) = await run.EndAsync();

        // Assert
        outcome.AssertStatus(RunStatus.Completed);
        Assert.DoesNotContain(items, i => i.IsStep<StepStarted>("after_approve"));
        Assert.Single(items, i => i.IsStep<StepCompleted>("join"));
        Assert.True(items.Seq(i => i is TaskCanceled) < items.Seq(i => i.IsStep<StepStarted>("join")));
    }

    [Fact]
    public async Task CancelAsync_GroupMember_GroupAndCallbackStillComplete()
    {
        // Arrange
        bool? legalSeen = null;
        bool? financeSeen = null;
        var tally = new MachineStep("tally", ctx =>
        {
            legalSeen = ctx.Has("legal");
            financeSeen = ctx.Get<bool>("finance.approved");
        });
        var (engine, run, tasks) = await StartWaitingAsync(Definition("withdraw_member",
            [new ParallelGroup("approvals", [Human("legal"), Human("finance")], tally)], [], "approvals", "approvals"));

        // Act
        var withdrawn = await engine.Tasks.CancelAsync(tasks["legal"].Id, new TaskCaller("ann"), "legal is not involved").WaitAsync(Patience);
        var statusBetween = run.Status;
        var result = await engine.Tasks.CompleteAsync(tasks["finance"].Id, Approved(), new TaskCaller("fin")).WaitAsync(Patience);
        var (outcome, items) = await run.EndAsync();

        // Assert
        Assert.Equal(HumanTaskStatus.Canceled, withdrawn.Status);
        Assert.Equal(RunStatus.Waiting, statusBetween);
        // A machine step follows the answer: the run is running it, or has already finished it.
        Assert.True(result.RunStatus is RunStatus.Running or RunStatus.Completed, $"run status after the answer: {result.RunStatus}");
        outcome.AssertStatus(RunStatus.Completed);
        Assert.Equal(false, legalSeen);
        Assert.Equal(true, financeSeen);
        Assert.Single(items, i => i.IsStep<StepCompleted>("tally"));
        Assert.Equal("legal", Assert.Single(items.OfType<TaskCanceled>()).Step);
        Assert.Equal("finance", Assert.Single(items.OfType<TaskCompleted>()).Step);
    }

    [Fact]
    public async Task CancelAsync_Twice_Conflict()
    {
        var (engine, run, tasks) = await StartWaitingAsync(TwoApprovals());

        await engine.Tasks.CancelAsync(tasks["legal"].Id, new TaskCaller("ann")).WaitAsync(Patience);
        var error = await Assert.ThrowsAsync<TaskConflictException>(() => engine.Tasks.CancelAsync(tasks["legal"].Id, new TaskCaller("ann")));

        Assert.Equal(tasks["legal"].Id, error.TaskId);
        Assert.Single(run.Items.Snapshot().OfType<TaskCanceled>());
        Assert.True(run.Cancel());
        await run.EndAsync();
    }

    [Fact]
    public async Task List_Filters_CombineByStatusAssigneeGroupRunAndCaller()
    {
        // Arrange: two runs of the same workflow in one engine, three tasks each.
        var definition = Definition("inbox",
            [new ParallelGroup("reviews",
            [
                new HumanStep("mine", "For ann", ApprovalForm()) { Assignee = "ann" },
                new HumanStep("legal_review", "For legal", ApprovalForm()) { Group = "legal" },
                new HumanStep("anyone", "For anyone", ApprovalForm()),
            ])], [], "reviews", "reviews");
        var engine = NewEngine(definition);
        var run1 = await engine.StartWorkflowAsync("inbox");
        var run2 = await engine.StartWorkflowAsync("inbox");
        await run1.WaitForWaitingAsync();
        await run2.WaitForWaitingAsync();

        string[] Steps(TaskQuery query) => engine.Tasks.List(query with { RunId = run1.RunId }).Select(t => t.Step).Order(StringComparer.Ordinal).ToArray();

        // Act / Assert
        Assert.Equal(6, engine.Tasks.List().Count);
        Assert.Equal(6, engine.Tasks.List(new TaskQuery { Status = HumanTaskStatus.Pending }).Count);
        Assert.All(engine.Tasks.List(new TaskQuery { RunId = run2.RunId }), t => Assert.Equal(run2.RunId, t.RunId));
        Assert.Equal(["anyone", "legal_review", "mine"], Steps(new TaskQuery()));
        Assert.Equal(["mine"], Steps(new TaskQuery { Assignee = "ann" }));
        Assert.Equal(["legal_review"], Steps(new TaskQuery { Group = "legal" }));
        Assert.Empty(Steps(new TaskQuery { Group = "finance" }));
        Assert.Equal(["anyone", "mine"], Steps(new TaskQuery { CompletableBy = new TaskCaller("ann") }));
        Assert.Equal(["anyone", "legal_review"], Steps(new TaskQuery { CompletableBy = new TaskCaller("bob", ["legal"]) }));
        Assert.Equal(["anyone"], Steps(new TaskQuery { CompletableBy = new TaskCaller("zed") }));
        Assert.Equal(2, engine.Tasks.List(new TaskQuery { Assignee = "ann" }).Count);

        var anyone = engine.Tasks.List(new TaskQuery { RunId = run1.RunId }).Single(t => t.Step == "anyone");
        await engine.Tasks.CompleteAsync(anyone.Id, Approved(), new TaskCaller("zed")).WaitAsync(Patience);
        Assert.Equal(["anyone"], Steps(new TaskQuery { Status = HumanTaskStatus.Completed }));
        Assert.Equal(["legal_review", "mine"], Steps(new TaskQuery { Status = HumanTaskStatus.Pending }));
        Assert.Equal(["legal_review"], Steps(new TaskQuery { Status = HumanTaskStatus.Pending, CompletableBy = new TaskCaller("bob", ["legal"]) }));
        Assert.Empty(Steps(new TaskQuery { Status = HumanTaskStatus.Canceled }));
        Assert.Equal(5, engine.Tasks.List(new TaskQuery { Status = HumanTaskStatus.Pending }).Count);

        Assert.True(run2.Cancel());
        await run2.EndAsync();
        Assert.Equal(3, engine.Tasks.List(new TaskQuery { RunId = run2.RunId, Status = HumanTaskStatus.Canceled }).Count);
        Assert.True(run1.Cancel());
        await run1.EndAsync();
    }

    [Fact]
    public async Task List_PagesInCreationOrder_FromTheCursor_WithTheFiltersApplied()
    {
        // Arrange: three runs of two tasks each (6 tasks); one answered, so a status filter skips it.
        var engine = NewEngine(TwoApprovals());
        var runs = new List<RunHandle>();
        for (var i = 0; i < 3; i++)
        {
            var run = await engine.StartWorkflowAsync("two_approvals");
            await run.WaitForWaitingAsync();
            runs.Add(run);
        }
        var all = engine.Tasks.List();
        await engine.Tasks.CompleteAsync(all[1].Id, Approved(), new TaskCaller("ann")).WaitAsync(Patience);

        // Act: pages of two, each from where the last ended, as the inbox endpoint reads them.
        var pages = new List<IReadOnlyList<HumanTask>>();
        TaskCursor? after = null;
        while (pages.Count < 10) // bounded: a cursor that is ignored must fail the test, not hang it
        {
            var page = engine.Tasks.List(new TaskQuery { Status = HumanTaskStatus.Pending, After = after, Limit = 2 });
            if (page.Count == 0)
            {
                break;
            }
            pages.Add(page);
            after = new TaskCursor(page[^1].CreatedAt, page[^1].Id);
        }

        // Assert: the five pending tasks, each once, in (created at, id) order, in pages of at most two.
        Assert.Equal(6, all.Count);
        Assert.Equal(all.OrderBy(t => t.CreatedAt).ThenBy(t => t.Id, StringComparer.Ordinal).Select(t => t.Id), all.Select(t => t.Id));
        Assert.Equal(all.Where((_, i) => i != 1).Select(t => t.Id), pages.SelectMany(p => p).Select(t => t.Id));
        Assert.Equal([2, 2, 1], pages.Select(p => p.Count));
        Assert.Empty(engine.Tasks.List(new TaskQuery { After = new TaskCursor(all[^1].CreatedAt, all[^1].Id) }));
        Assert.Throws<ArgumentOutOfRangeException>(() => engine.Tasks.List(new TaskQuery { Limit = 0 }));
        foreach (var run in runs)
        {
            run.Cancel("test over");
        }
    }
}
