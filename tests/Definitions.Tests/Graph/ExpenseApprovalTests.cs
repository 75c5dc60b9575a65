using System.Text.Json.Nodes;
using Workflows.Definitions.Graph;

namespace Workflows.Definitions.Tests.Graph;

public sealed class ExpenseApprovalTests
{
    private static readonly TaskCaller s_manager = new("maria", ["managers"]);

    [Fact]
    public async Task AboveTheLimit_WaitsForTheManagerNamedInTheInput()
    {
        var run = await HumanRun.StartAsync(ExpenseApproval.Create(), new { amount = 1500, employee = "ed", manager = "maria" });

        var waiting = await run.WaitUntilWaitingAsync();

        var task = Assert.Single(run.PendingTasks());
        Assert.Equal([task.Id], waiting.OpenTasks);
        Assert.Equal("manager_approval", task.Step);
        Assert.Equal("maria", task.Assignee);
        Assert.Null(task.Group);
        Assert.Equal("maria", Assert.Single(run.Items.OfType<TaskCreated>()).Assignee);
        Assert.Equal(["approved", "comment"], task.FormSchema["properties"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal(["approved"], task.FormSchema["required"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Single(run.Items.Starts("submit"));
        Assert.Empty(run.Items.Starts("auto_approve"));
        Assert.Empty(run.Items.Starts("record"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ManagerDecides_AndRecordRunsOnce(bool approved)
    {
        var run = await HumanRun.StartAsync(ExpenseApproval.Create(), new { amount = 1500, employee = "ed", manager = "maria" });
        await run.WaitUntilWaitingAsync();

        var completion = await run.CompleteAsync("manager_approval", $$"""{"approved":{{(approved ? "true" : "false")}},"comment":"ok"}""", s_manager);
        var context = await run.CompletedContextAsync();

        Assert.Equal("maria", completion.Task.CompletedBy);
        Assert.Equal(approved, context["approved"]!.GetValue<bool>());
        Assert.Equal("maria", context["approved_by"]!.GetValue<string>());
        Assert.Equal(approved, context["manager_approval"]!["approved"]!.GetValue<bool>());
        Assert.Equal("ok", context["manager_approval"]!["comment"]!.GetValue<string>());
        Assert.False(context.ContainsKey("auto_approved"));
        var items = run.Items;
        var record = items.Single<StepStarted>("record");
        Assert.True(items.OfType<TaskCompleted>().Single().Sequence < record.Sequence);
        Assert.Empty(items.Starts("auto_approve"));
    }

    [Theory]
    [InlineData(500)]
    [InlineData(1000)]
    [InlineData(0.5)]
    public async Task UpToTheLimit_IsApprovedAutomatically_WithoutATask(double amount)
    {
        var run = await HumanRun.StartAsync(ExpenseApproval.Create(), new { amount, employee = "ed", manager = "maria" });

        var context = await run.CompletedContextAsync();

        Assert.True(context["approved"]!.GetValue<bool>());
        Assert.Equal(ExpenseApproval.AutoApprover, context["approved_by"]!.GetValue<string>());
        Assert.True(context["auto_approved"]!.GetValue<bool>());
        Assert.False(context.ContainsKey("manager_approval"));
        var items = run.Items;
        Assert.Empty(items.OfType<TaskCreated>());
        Assert.Empty(items.OfType<RunWaiting>());
        Assert.Empty(run.Tasks.List(new TaskQuery { RunId = run.Handle.RunId }));
        items.Single<StepCompleted>("auto_approve");
        var record = items.Single<StepStarted>("record");
        Assert.True(items.Single<StepCompleted>("auto_approve").Sequence < record.Sequence);
    }

    [Fact]
    public async Task UpToTheLimit_NeedsNoManager()
    {
        var run = await HumanRun.StartAsync(ExpenseApproval.Create(), new { amount = 999.99, employee = "ed" });

        var context = await run.CompletedContextAsync();

        Assert.Equal("auto", context["approved_by"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("eve", new string[0])]
    [InlineData("eve", new[] { "managers" })]
    [InlineData("ed", new[] { "employees" })]
    public async Task AnyoneButTheAssignedManager_IsRefused(string user, string[] groups)
    {
        var run = await HumanRun.StartAsync(ExpenseApproval.Create(), new { amount = 1500, employee = "ed", manager = "maria" });
        await run.WaitUntilWaitingAsync();
        var task = run.PendingTask("manager_approval");
        var contextBefore = run.Handle.Store.Snapshot();

        await Assert.ThrowsAsync<TaskForbiddenException>(() => run.CompleteAsync("manager_approval", """{"approved":true}""", new TaskCaller(user, groups)));

        Assert.Equal(HumanTaskStatus.Pending, run.Tasks.Get(task.Id)!.Status);
        Assert.Empty(run.Items.OfType<TaskCompleted>());
        Assert.True(JsonNode.DeepEquals(contextBefore, run.Handle.Store.Snapshot()));
        Assert.Equal(RunStatus.Waiting, run.Handle.Status);
        Assert.Empty(run.Tasks.List(new TaskQuery { RunId = run.Handle.RunId, CompletableBy = new TaskCaller(user, groups) }));

        // The manager still can.
        await run.CompleteAsync("manager_approval", """{"approved":true}""", s_manager);
        Assert.Equal("maria", (await run.CompletedContextAsync())["approved_by"]!.GetValue<string>());
    }

    [Fact]
    public async Task InvalidDecision_IsRejectedWithEveryError_AndNothingIsStored()
    {
        var run = await HumanRun.StartAsync(ExpenseApproval.Create(), new { amount = 1500, employee = "ed", manager = "maria" });
        await run.WaitUntilWaitingAsync();
        var contextBefore = run.Handle.Store.Snapshot();
        var itemsBefore = run.Handle.Items.Count;

        var error = await Assert.ThrowsAsync<FormValidationException>(
            () => run.CompleteAsync("manager_approval", """{"approved":"sure","comment":["fine"]}""", s_manager));

        Assert.Equal(["/approved", "/comment"], error.Errors.Select(e => e.Pointer).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(HumanTaskStatus.Pending, run.PendingTask("manager_approval").Status);
        Assert.Equal(itemsBefore, run.Handle.Items.Count);
        Assert.True(JsonNode.DeepEquals(contextBefore, run.Handle.Store.Snapshot()));
    }

    [Fact]
    public async Task WithdrawnApproval_FailsTheRun_NamingTheStep()
    {
        var run = await HumanRun.StartAsync(ExpenseApproval.Create(), new { amount = 1500, employee = "ed", manager = "maria" });
        await run.WaitUntilWaitingAsync();

        await run.Tasks.CancelAsync(run.PendingTask("manager_approval").Id, s_manager, "claim withdrawn");
        var outcome = await run.OutcomeAsync();

        Assert.Equal(RunStatus.Failed, outcome.Status);
        Assert.Contains("manager_approval", outcome.Error!.Message);
        Assert.Empty(run.Items.Starts("record"));
    }

    [Theory]
    [InlineData("""{"employee":"ed","manager":"maria"}""", "amount")]
    [InlineData("""{"amount":"1500","employee":"ed","manager":"maria"}""", "amount")]
    [InlineData("""{"amount":1500,"employee":"ed"}""", "manager")]
    [InlineData("""{"amount":1500,"employee":"ed","manager":""}""", "manager")]
    [InlineData("""{"amount":1500,"employee":"ed","manager":42}""", "manager")]
    public async Task BadInput_FailsTheRun_BeforeAnyTask(string input, string named)
    {
        var run = await HumanRun.StartAsync(ExpenseApproval.Create(), JsonNode.Parse(input));

        var outcome = await run.OutcomeAsync();

        Assert.Equal(RunStatus.Failed, outcome.Status);
        Assert.Equal("submit", outcome.Error!.Step);
        Assert.Contains($"'{named}'", outcome.Error.Message);
        Assert.Empty(run.Items.OfType<TaskCreated>());
    }
}
