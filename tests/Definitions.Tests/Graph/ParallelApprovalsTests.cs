using System.Text.Json.Nodes;
using Workflows.Definitions.Graph;

namespace Workflows.Definitions.Tests.Graph;

public sealed class ParallelApprovalsTests
{
    private static readonly string[] s_steps = ["legal_approval", "finance_approval", "security_approval"];
    private static readonly TaskCaller s_legal = new("lena", ["legal"]);
    private static readonly TaskCaller s_finance = new("fiona", ["finance"]);
    private static readonly TaskCaller s_security = new("sam", ["security"]);

    private const string LegalYes = """{"approved":true,"comments":"No concerns"}""";
    private const string FinanceYes = """{"approved":true,"budget_code":"OPS-2024"}""";
    private const string SecurityYes = """{"approved":true,"risk_level":"low"}""";

    [Fact]
    public async Task Start_OpensThreeTasksAtOnce_EachWithItsOwnForm_AndWaits()
    {
        var run = await HumanRun.StartAsync(ParallelApprovals.Create());

        var waiting = await run.WaitUntilWaitingAsync();

        var tasks = run.PendingTasks();
        Assert.Equal(s_steps.Order(StringComparer.Ordinal), tasks.Select(t => t.Step).Order(StringComparer.Ordinal));
        Assert.Equal(tasks.Select(t => t.Id).Order(StringComparer.Ordinal), waiting.OpenTasks.Order(StringComparer.Ordinal));
        Assert.All(run.Items.OfType<TaskCreated>(), created => Assert.Equal("approvals", created.StepGroup));
        Assert.Equal(3, run.Items.OfType<TaskCreated>().Count());
        Assert.Empty(run.Items.Starts("check_approvals"));

        var legal = run.PendingTask("legal_approval");
        Assert.Equal("legal", legal.Group);
        Assert.Null(legal.Assignee);
        Assert.Equal(["approved", "comments"], PropertyNames(legal.FormSchema));
        Assert.Equal(["approved"], Required(legal.FormSchema));
        Assert.Equal("string", legal.FormSchema["properties"]!["comments"]!["type"]!.GetValue<string>());

        var finance = run.PendingTask("finance_approval");
        Assert.Equal("finance", finance.Group);
        Assert.Equal(["approved", "budget_code"], PropertyNames(finance.FormSchema));
        Assert.Equal(["approved"], Required(finance.FormSchema));
        Assert.Equal("string", finance.FormSchema["properties"]!["budget_code"]!["type"]!.GetValue<string>());

        var security = run.PendingTask("security_approval");
        Assert.Equal("security", security.Group);
        Assert.Equal(["approved", "risk_level"], PropertyNames(security.FormSchema));
        Assert.Equal(["approved", "risk_level"], Required(security.FormSchema));
        Assert.Equal(["low", "medium", "high"], security.FormSchema["properties"]!["risk_level"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()));

        Assert.All(tasks, t => Assert.Equal("boolean", t.FormSchema["properties"]!["approved"]!["type"]!.GetValue<string>()));
        Assert.All(tasks, t => Assert.Equal("object", t.FormSchema["type"]!.GetValue<string>()));
    }

    [Fact]
    public async Task AllApproved_ComputedOnlyAfterTheThirdAnswer()
    {
        var run = await HumanRun.StartAsync(ParallelApprovals.Create());
        await run.WaitUntilWaitingAsync();

        var first = await run.CompleteAsync("legal_approval", LegalYes, s_legal);
        Assert.Equal(RunStatus.Waiting, first.RunStatus);
        Assert.Empty(run.Items.Starts("check_approvals"));
        Assert.Equal(2, run.PendingTasks().Count);

        var second = await run.CompleteAsync("security_approval", SecurityYes, s_security);
        Assert.Equal(RunStatus.Waiting, second.RunStatus);
        Assert.Empty(run.Items.Starts("check_approvals"));
        Assert.False(run.Handle.Store.Get<JsonNode>("all_approved") is not null, "all_approved was set before the third answer");

        await run.CompleteAsync("finance_approval", FinanceYes, s_finance);
        var context = await run.CompletedContextAsync();

        var items = run.Items;
        var check = items.Single<StepStarted>("check_approvals");
        Assert.Equal("approvals", check.Group);
        var answers = items.OfType<TaskCompleted>().ToArray();
        Assert.Equal(3, answers.Length);
        Assert.All(answers, answer => Assert.True(answer.Sequence < check.Sequence, $"{answer.Step} answered after check_approvals started"));
        Assert.Equal("finance_approval", answers[^1].Step);
        Assert.True(context["all_approved"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Answers_AreStoredUnderEachStepsName()
    {
        var run = await HumanRun.StartAsync(ParallelApprovals.Create());
        await run.WaitUntilWaitingAsync();

        await run.CompleteAsync("finance_approval", FinanceYes, s_finance);
        await run.CompleteAsync("legal_approval", LegalYes, s_legal);
        await run.CompleteAsync("security_approval", """{"approved":true,"risk_level":"medium"}""", s_security);
        var context = await run.CompletedContextAsync();

        Assert.True(context["legal_approval"]!["approved"]!.GetValue<bool>());
        Assert.Equal("No concerns", context["legal_approval"]!["comments"]!.GetValue<string>());
        Assert.Equal("OPS-2024", context["finance_approval"]!["budget_code"]!.GetValue<string>());
        Assert.Equal("medium", context["security_approval"]!["risk_level"]!.GetValue<string>());
        var completed = run.Tasks.List(new TaskQuery { RunId = run.Handle.RunId, Status = HumanTaskStatus.Completed });
        Assert.Equal(["fiona", "lena", "sam"], completed.Select(t => t.CompletedBy!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ThreeAnswersAtOnce_CheckApprovalsRunsOnce()
    {
        var run = await HumanRun.StartAsync(ParallelApprovals.Create());
        await run.WaitUntilWaitingAsync();
        var legal = run.PendingTask("legal_approval");
        var finance = run.PendingTask("finance_approval");
        var security = run.PendingTask("security_approval");

        var results = await Task.WhenAll(
            Task.Run(() => run.Tasks.CompleteAsync(legal.Id, JsonNode.Parse(LegalYes), s_legal)),
            Task.Run(() => run.Tasks.CompleteAsync(finance.Id, JsonNode.Parse(FinanceYes), s_finance)),
            Task.Run(() => run.Tasks.CompleteAsync(security.Id, JsonNode.Parse(SecurityYes), s_security)));
        var context = await run.CompletedContextAsync();

        Assert.All(results, r => Assert.Equal(HumanTaskStatus.Completed, r.Task.Status));
        Assert.True(context["all_approved"]!.GetValue<bool>());
        var check = run.Items.Single<StepStarted>("check_approvals");
        Assert.All(run.Items.OfType<TaskCompleted>(), answer => Assert.True(answer.Sequence < check.Sequence));
    }

    [Theory]
    [InlineData("legal_approval")]
    [InlineData("finance_approval")]
    [InlineData("security_approval")]
    public async Task OneRejection_MakesAllApprovedFalse(string rejecting)
    {
        var run = await HumanRun.StartAsync(ParallelApprovals.Create());
        await run.WaitUntilWaitingAsync();

        await run.CompleteAsync("legal_approval", rejecting == "legal_approval" ? """{"approved":false,"comments":"Contract issue"}""" : LegalYes, s_legal);
        await run.CompleteAsync("finance_approval", rejecting == "finance_approval" ? """{"approved":false}""" : FinanceYes, s_finance);
        await run.CompleteAsync("security_approval", rejecting == "security_approval" ? """{"approved":false,"risk_level":"high"}""" : SecurityYes, s_security);
        var context = await run.CompletedContextAsync();

        Assert.False(context["all_approved"]!.GetValue<bool>());
        Assert.False(context[rejecting]!["approved"]!.GetValue<bool>());
        Assert.Single(run.Items.Starts("check_approvals"));
    }

    [Theory]
    [InlineData("{}", "/approved,/risk_level")]
    [InlineData("""{"approved":"yes","risk_level":"extreme"}""", "/approved,/risk_level")]
    [InlineData("""{"risk_level":"critical"}""", "/approved,/risk_level")]
    [InlineData("""{"approved":true,"risk_level":3}""", "/risk_level")]
    public async Task InvalidSecurityForm_IsRejectedWithEveryError_AndNothingIsStored(string answer, string pointers)
    {
        var run = await HumanRun.StartAsync(ParallelApprovals.Create());
        await run.WaitUntilWaitingAsync();
        await run.CompleteAsync("legal_approval", LegalYes, s_legal);
        var contextBefore = run.Handle.Store.Snapshot();
        var itemsBefore = run.Handle.Items.Count;
        var task = run.PendingTask("security_approval");

        var error = await Assert.ThrowsAsync<FormValidationException>(() => run.CompleteAsync("security_approval", answer, s_security));

        Assert.Equal(task.Id, error.TaskId);
        Assert.Equal(pointers.Split(','), error.Errors.Select(e => e.Pointer).Distinct().Order(StringComparer.Ordinal));
        Assert.All(error.Errors, e => Assert.False(string.IsNullOrWhiteSpace(e.Message)));
        Assert.Equal(HumanTaskStatus.Pending, run.Tasks.Get(task.Id)!.Status);
        Assert.Null(run.Tasks.Get(task.Id)!.Data);
        Assert.Equal(itemsBefore, run.Handle.Items.Count);
        Assert.DoesNotContain(run.Items.OfType<TaskCompleted>(), c => c.Step == "security_approval");
        Assert.True(JsonNode.DeepEquals(contextBefore, run.Handle.Store.Snapshot()), run.Handle.Store.Snapshot().ToJsonString());
        Assert.Null(run.Handle.Store.Get<JsonNode>("security_approval"));
        Assert.Equal(RunStatus.Waiting, run.Handle.Status);
        Assert.Empty(run.Items.Starts("check_approvals"));

        // Still answerable: the refusal changed nothing.
        await run.CompleteAsync("security_approval", SecurityYes, s_security);
        await run.CompleteAsync("finance_approval", FinanceYes, s_finance);
        Assert.True((await run.CompletedContextAsync())["all_approved"]!.GetValue<bool>());
    }

    [Fact]
    public async Task InvalidFinanceForm_ReportsEveryError()
    {
        var run = await HumanRun.StartAsync(ParallelApprovals.Create());
        await run.WaitUntilWaitingAsync();

        var error = await Assert.ThrowsAsync<FormValidationException>(
            () => run.CompleteAsync("finance_approval", """{"approved":1,"budget_code":42}""", s_finance));

        Assert.Equal(["/approved", "/budget_code"], error.Errors.Select(e => e.Pointer).Order(StringComparer.Ordinal));
        Assert.Equal(3, run.PendingTasks().Count);
        Assert.Empty(run.Items.OfType<TaskCompleted>());
    }

    [Fact]
    public async Task CallerOutsideTheGroup_IsRefused_AndTheTaskStaysOpen()
    {
        var run = await HumanRun.StartAsync(ParallelApprovals.Create());
        await run.WaitUntilWaitingAsync();
        var legal = run.PendingTask("legal_approval");

        await Assert.ThrowsAsync<TaskForbiddenException>(() => run.CompleteAsync("legal_approval", LegalYes, s_finance));

        Assert.Equal(HumanTaskStatus.Pending, run.Tasks.Get(legal.Id)!.Status);
        Assert.Empty(run.Items.OfType<TaskCompleted>());
        Assert.Null(run.Handle.Store.Get<JsonNode>("legal_approval"));
        Assert.Equal([legal.Id], run.Tasks.List(new TaskQuery { RunId = run.Handle.RunId, CompletableBy = s_legal }).Select(t => t.Id));
    }

    [Fact]
    public async Task WithdrawnApproval_CountsAsNotApproved()
    {
        var run = await HumanRun.StartAsync(ParallelApprovals.Create());
        await run.WaitUntilWaitingAsync();

        await run.CompleteAsync("legal_approval", LegalYes, s_legal);
        await run.CompleteAsync("finance_approval", FinanceYes, s_finance);
        await run.Tasks.CancelAsync(run.PendingTask("security_approval").Id, s_security, "request withdrawn");
        var context = await run.CompletedContextAsync();

        Assert.False(context["all_approved"]!.GetValue<bool>());
        Assert.Single(run.Items.OfType<TaskCanceled>());
        Assert.Single(run.Items.Starts("check_approvals"));
    }

    [Fact]
    public void Create_GivesEachDefinitionItsOwnForms()
    {
        var first = Assert.IsType<ParallelGroup>(ParallelApprovals.Create().Steps[0]).Steps.Cast<HumanStep>().ToArray();
        var second = Assert.IsType<ParallelGroup>(ParallelApprovals.Create().Steps[0]).Steps.Cast<HumanStep>().ToArray();

        Assert.Equal(s_steps, first.Select(h => h.Name));
        Assert.All(first.Zip(second), pair => Assert.NotSame(pair.First.FormSchema, pair.Second.FormSchema));
    }

    private static string[] PropertyNames(JsonObject schema) =>
        [.. schema["properties"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal)];

    private static string[] Required(JsonObject schema) =>
        [.. schema["required"]!.AsArray().Select(n => n!.GetValue<string>()).Order(StringComparer.Ordinal)];
}
