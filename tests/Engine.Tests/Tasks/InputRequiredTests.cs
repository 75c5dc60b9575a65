using System.Text.Json.Nodes;
using Workflows.Engine.Tests.Support;
using static Workflows.Engine.Tests.Tasks.TaskTestKit;

namespace Workflows.Engine.Tests.Tasks;

/// <summary>
/// Human input in an event-driven workflow: a step returning an <see cref="InputRequiredEvent"/> opens a task and
/// the run waits; completing the task routes a <see cref="HumanResponseEvent"/> to the steps that accept it.
/// </summary>
public sealed class InputRequiredTests
{
    private sealed class ExpenseApproval(Signal? decideGate = null) : Workflow
    {
        public TaskCompletionSource<HumanResponseEvent> Received { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Signal DecideEntered { get; } = new();

        [Step]
        public InputRequiredEvent Ask(StartEvent ev) => new($"Approve {ev.Get<int>("amount")} EUR?", RiskForm())
        {
            Description = "Travel expenses",
            Assignee = ev.Get<string>("approver"),
        };

        [Step]
        public async Task<StopEvent> Decide(HumanResponseEvent ev)
        {
            Received.TrySetResult(ev);
            DecideEntered.Set();
            if (decideGate is not null)
            {
                await decideGate.Task.WaitAsync(Patience);
            }
            return new StopEvent($"{(ev.Get<bool>("approved") ? "approved" : "rejected")} by {ev.CompletedBy} ({ev.Get<string>("risk_level")})");
        }
    }

    [Fact]
    public async Task InputRequired_CreatesTaskRunWaitsAndResponseRoutedToAcceptingStep()
    {
        // Arrange
        var decideGate = new Signal();
        var workflow = new ExpenseApproval(decideGate);
        var engine = NewEngine(workflow);

        try
        {
            // Act 1
            var run = await engine.StartWorkflowAsync("expense_approval", new { amount = 120, approver = "ann" });
            var task = await engine.WaitForTaskAsync(run, "ask");
            var waiting = await run.WaitForWaitingAsync();
            var items = run.Items.Snapshot();

            // Assert 1: the task, the published request, the waiting run.
            Assert.Equal(("ask", "Approve 120 EUR?", "Travel expenses", "ann"), (task.Step, task.Title, task.Description, task.Assignee));
            Assert.Equal((run.RunId, "expense_approval", HumanTaskStatus.Pending), (task.RunId, task.Workflow, task.Status));
            Assert.True(JsonNode.DeepEquals(RiskForm(), task.FormSchema));
            var request = Assert.Single(items.OfType<EventEmitted>(), e => e.Event is InputRequiredEvent);
            Assert.Equal("ask", request.Step);
            Assert.True(request.Sequence < items.Seq(i => i is TaskCreated));
            Assert.Equal([task.Id], waiting.OpenTasks);
            Assert.Equal(RunStatus.Waiting, run.Status);
            Assert.False(workflow.Received.Task.IsCompleted);

            // Act 2
            var data = Json("""{"approved": true, "risk_level": "low"}""");
            var result = await engine.Tasks.CompleteAsync(task.Id, data, new TaskCaller("ann")).WaitAsync(Patience);
            var response = await workflow.Received.Task.WaitAsync(Patience);
            await workflow.DecideEntered.WaitAsync();

            // Assert 2: the response carries the task, the asking step, the person and the data.
            Assert.Equal(RunStatus.Running, result.RunStatus);
            Assert.Equal(RunStatus.Running, run.Status);
            Assert.Equal((task.Id, "ask", "ann"), (response.TaskId, response.Step, response.CompletedBy));
            Assert.True(JsonNode.DeepEquals(data, response.Data));
            Assert.Equal("low", response.Get<string>("risk_level"));

            decideGate.Set();
            var (outcome, all) = await run.EndAsync();
            outcome.AssertStatus(RunStatus.Completed);
            Assert.Equal("approved by ann (low)", outcome.Result);
            Assert.Equal("approved by ann (low)", await run.GetResultAsync());
            var completed = Assert.Single(all.OfType<TaskCompleted>());
            Assert.Equal(("ask", "ann"), (completed.Step, completed.CompletedBy));
            var responded = Assert.Single(all.OfType<EventEmitted>(), e => e.Event is HumanResponseEvent);
            Assert.True(completed.Sequence < responded.Sequence);
            Assert.True(responded.Sequence < all.Seq(i => i.IsStep<StepStarted>("decide")));
            all.SingleTerminalLast<RunCompleted>();
        }
        finally
        {
            decideGate.Set();
        }
    }

    [Fact]
    public async Task InputRequired_InvalidOrForbiddenAnswer_RefusedAndNoResponseRouted()
    {
        // Arrange
        var workflow = new ExpenseApproval();
        var engine = NewEngine(workflow);
        var run = await engine.StartWorkflowAsync("expense_approval", new { amount = 9, approver = "ann" });
        var task = await engine.WaitForTaskAsync(run, "ask");
        await run.WaitForWaitingAsync();

        // Act
        var invalid = await Assert.ThrowsAsync<FormValidationException>(() =>
            engine.Tasks.CompleteAsync(task.Id, Json("""{"approved": "yes", "risk_level": "none"}"""), new TaskCaller("ann")));
        await Assert.ThrowsAsync<TaskForbiddenException>(() =>
            engine.Tasks.CompleteAsync(task.Id, Json("""{"approved": true, "risk_level": "low"}"""), new TaskCaller("bob")));

        // Assert
        Assert.Equal(["/approved", "/risk_level"], invalid.Errors.Select(e => e.Pointer).Order(StringComparer.Ordinal));
        Assert.Equal(HumanTaskStatus.Pending, engine.Tasks.Get(task.Id)!.Status);
        Assert.DoesNotContain(run.Items.Snapshot(), i => i is TaskCompleted || i is EventEmitted { Event: HumanResponseEvent });
        Assert.False(workflow.Received.Task.IsCompleted);
        Assert.Equal(RunStatus.Waiting, run.Status);

        var result = await engine.Tasks.CompleteAsync(task.Id, Json("""{"approved": false, "risk_level": "high"}"""), new TaskCaller("ann")).WaitAsync(Patience);
        Assert.Equal(HumanTaskStatus.Completed, result.Task.Status);
        var (outcome, _) = await run.EndAsync();
        Assert.Equal("rejected by ann (high)", outcome.Result);
    }

    [Fact]
    public async Task InputRequired_RunCanceled_TaskClosedAndCompletionConflicts()
    {
        // Arrange
        var engine = NewEngine(new ExpenseApproval());
        var run = await engine.StartWorkflowAsync("expense_approval", new { amount = 9 });
        var task = await engine.WaitForTaskAsync(run, "ask");
        await run.WaitForWaitingAsync();

        // Act
        Assert.True(run.Cancel());
        var (outcome, items) = await run.EndAsync();

        // Assert
        outcome.AssertStatus(RunStatus.Canceled);
        Assert.Equal(HumanTaskStatus.Canceled, engine.Tasks.Get(task.Id)!.Status);
        Assert.Equal("ask", Assert.Single(items.OfType<TaskCanceled>()).Step);
        await Assert.ThrowsAsync<TaskConflictException>(() =>
            engine.Tasks.CompleteAsync(task.Id, Json("""{"approved": true, "risk_level": "low"}"""), new TaskCaller("anyone")));
    }

    private sealed class NobodyListens : Workflow
    {
        [Step]
        public InputRequiredEvent Ask(StartEvent ev) => new("Anything?", ApprovalForm());

        [Step]
        public StopEvent Finish(StartEvent ev) => new();
    }

    [Fact]
    public void Validation_InputRequiredWithoutResponseConsumer_RejectedNamingTheStep()
    {
        var error = Assert.Throws<WorkflowValidationException>(() => new WorkflowRegistry().Register(new NobodyListens()));

        Assert.Equal("nobody_listens", error.Workflow);
        Assert.Contains(error.Errors, e => e.Contains("'ask'", StringComparison.Ordinal) && e.Contains(nameof(HumanResponseEvent), StringComparison.Ordinal));
    }

    [Fact]
    public void Validation_InputRequiredWithResponseConsumer_Accepted() =>
        new WorkflowRegistry().Register(new ExpenseApproval());

    private sealed class BadDefault : Workflow
    {
        [Step]
        public InputRequiredEvent Ask(StartEvent ev) => new("Approve?", ApprovalForm())
        {
            Due = TimeSpan.FromMinutes(30),
            OnDue = DueAction.DefaultOutcome(Json("""{"approved": "maybe"}""")),
        };

        [Step]
        public StopEvent Decide(HumanResponseEvent ev) => new(ev.Data.ToJsonString());
    }

    [Fact]
    public async Task InputRequired_DefaultOutcomeViolatingForm_RunFailsNamingTheStepAndNoInvalidResponse()
    {
        // Arrange: a HumanResponseEvent's data is valid against the task's form, also when the deadline answers.
        var clock = new ManualTimeProvider();
        var engine = NewEngine(new BadDefault(), clock);

        // Act
        var run = await engine.StartWorkflowAsync("bad_default");
        await run.ReadUntilCountAsync(i => i is RunWaiting or RunEnded);
        clock.Advance(TimeSpan.FromMinutes(30));
        var (outcome, items) = await run.EndAsync();

        // Assert
        outcome.AssertStatus(RunStatus.Failed);
        Assert.Equal(("ask", "invalid_form"), (outcome.Error!.Step, outcome.Error.Type));
        Assert.Contains("default outcome", outcome.Error.Message, StringComparison.Ordinal);
        Assert.Contains("/approved", outcome.Error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(items, i => i is TaskCreated || i is EventEmitted { Event: HumanResponseEvent });
        Assert.Empty(engine.Tasks.List());
    }

    private sealed class BadForm : Workflow
    {
        [Step]
        public InputRequiredEvent Ask(StartEvent ev) => new("Anything?", Json("""{"type": "banana"}"""));

        [Step]
        public StopEvent Decide(HumanResponseEvent ev) => new();
    }

    [Fact]
    public async Task InputRequired_InvalidFormSchema_RunFailsNamingTheStep()
    {
        var engine = NewEngine(new BadForm());

        var run = await engine.StartWorkflowAsync("bad_form");
        var (outcome, items) = await run.EndAsync();

        outcome.AssertStatus(RunStatus.Failed);
        Assert.Equal(("ask", "invalid_form"), (outcome.Error!.Step, outcome.Error.Type));
        Assert.Contains("banana", outcome.Error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(items, i => i is TaskCreated);
        Assert.Empty(engine.Tasks.List());
    }
}
