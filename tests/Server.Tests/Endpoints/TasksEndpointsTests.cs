using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Workflows.Definitions.Graph;
using Workflows.Server.Tests.Doubles;
using Workflows.Server.Tests.Support;

namespace Workflows.Server.Tests.Endpoints;

public sealed class TasksEndpointsTests(ServerFactory factory) : IClassFixture<ServerFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    /// <summary>Starts parallel_approvals and returns its id and its three tasks by step.</summary>
    private async Task<(string RunId, Dictionary<string, JsonElement> Tasks)> StartApprovalsAsync()
    {
        var id = await _client.StartAsync(ParallelApprovals.Name);
        await factory.Engine.WaitForItemAsync(id, RunItemTypes.RunWaiting);
        var page = await _client.GetFromJsonAsync<JsonElement>($"/api/tasks?instance={id}", Patience.Token());
        var tasks = page.GetProperty("items").EnumerateArray().ToDictionary(t => t.GetProperty("step").GetString()!);
        return (id, tasks);
    }

    private Task<HttpResponseMessage> CompleteAsync(string taskId, string body, string? user = null, string? groups = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/tasks/{taskId}/complete") { Content = Api.Json(body) };
        if (user is not null)
        {
            request.Headers.Add("X-User", user);
        }
        if (groups is not null)
        {
            request.Headers.Add("X-Groups", groups);
        }
        return _client.SendAsync(request, Patience.Token());
    }

    [Fact]
    public async Task CompleteAll_ParallelApprovals_EachAnswerAcceptedAndTheRunCompletes()
    {
        var (id, tasks) = await StartApprovalsAsync();

        using var legal = await CompleteAsync(tasks["legal_approval"].GetProperty("id").GetString()!, """{"approved": true, "comments": "No concerns"}""", "lea", "legal");
        using var finance = await CompleteAsync(tasks["finance_approval"].GetProperty("id").GetString()!, """{"approved": true, "budget_code": "OPS-2024"}""", "fin", "staff, finance");
        using var security = await CompleteAsync(tasks["security_approval"].GetProperty("id").GetString()!, """{"approved": true, "risk_level": "low"}""", "sam", "security");

        Assert.Equal(HttpStatusCode.OK, legal.StatusCode);
        var first = await legal.ReadJsonAsync();
        Assert.Equal("completed", first.GetProperty("task").GetProperty("status").GetString());
        Assert.Equal("lea", first.GetProperty("task").GetProperty("completedBy").GetString());
        Assert.Equal("No concerns", first.GetProperty("task").GetProperty("data").GetProperty("comments").GetString());
        Assert.Equal("waiting", first.GetProperty("runStatus").GetString());
        Assert.Equal(HttpStatusCode.OK, finance.StatusCode);
        Assert.Equal(HttpStatusCode.OK, security.StatusCode);
        Assert.Equal(RunStatus.Completed, (await factory.Engine.WaitForEndAsync(id)).Status);
        var run = await _client.GetFromJsonAsync<JsonElement>($"/api/instances/{id}", Patience.Token());
        Assert.True(run.GetProperty("state").GetProperty("all_approved").GetBoolean());
    }

    [Fact]
    public async Task Complete_InvalidData_Returns422WithEveryViolationByPointerAndKeepsTheTaskOpen()
    {
        var (id, tasks) = await StartApprovalsAsync();
        var taskId = tasks["security_approval"].GetProperty("id").GetString()!;

        using var response = await CompleteAsync(taskId, """{"approved": "yes", "risk_level": "extreme"}""", "sam", "security");

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["/approved", "/risk_level"], problem.ErrorKeys().Order());
        var task = await _client.GetFromJsonAsync<JsonElement>($"/api/tasks/{taskId}", Patience.Token());
        Assert.Equal("pending", task.GetProperty("status").GetString());
        factory.Engine.FindRun(id)!.Cancel();
    }

    [Fact]
    public async Task Complete_MissingRequiredField_Returns422NamingIt()
    {
        var (id, tasks) = await StartApprovalsAsync();

        using var response = await CompleteAsync(tasks["security_approval"].GetProperty("id").GetString()!, """{"approved": true}""", "sam", "security");

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["/risk_level"], problem.ErrorKeys());
        factory.Engine.FindRun(id)!.Cancel();
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("5")]
    public async Task Complete_BodyNotAnObject_Returns422ForTheWholeDocument(string body)
    {
        var (id, tasks) = await StartApprovalsAsync();

        using var response = await CompleteAsync(tasks["legal_approval"].GetProperty("id").GetString()!, body, "lea", "legal");

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal([""], problem.ErrorKeys());
        factory.Engine.FindRun(id)!.Cancel();
    }

    [Fact]
    public async Task Complete_MalformedJson_Returns400()
    {
        using var response = await CompleteAsync("any", """{"approved": tru""", "lea", "legal");

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Complete_CallerNotInTheGroup_Returns403AndKeepsTheTaskOpen()
    {
        var (id, tasks) = await StartApprovalsAsync();
        var taskId = tasks["legal_approval"].GetProperty("id").GetString()!;

        using var noGroups = await CompleteAsync(taskId, """{"approved": true}""");
        using var wrongGroup = await CompleteAsync(taskId, """{"approved": true}""", "fin", "finance");

        var problem = await noGroups.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("'developer'", problem.GetProperty("detail").GetString()); // Development mode's caller without X-User
        await wrongGroup.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal("pending", (await _client.GetFromJsonAsync<JsonElement>($"/api/tasks/{taskId}", Patience.Token())).GetProperty("status").GetString());
        factory.Engine.FindRun(id)!.Cancel();
    }

    [Fact]
    public async Task Complete_Twice_Returns409()
    {
        var (id, tasks) = await StartApprovalsAsync();
        var taskId = tasks["legal_approval"].GetProperty("id").GetString()!;
        using var first = await CompleteAsync(taskId, """{"approved": true}""", "lea", "legal");

        using var second = await CompleteAsync(taskId, """{"approved": false}""", "lea", "legal");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var problem = await second.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("already completed", problem.GetProperty("detail").GetString());
        factory.Engine.FindRun(id)!.Cancel();
    }

    [Fact]
    public async Task Complete_TaskOfCanceledRun_Returns409()
    {
        var (id, tasks) = await StartApprovalsAsync();
        await _client.PostAsync($"/api/instances/{id}/cancel", null, Patience.Token());

        using var response = await CompleteAsync(tasks["legal_approval"].GetProperty("id").GetString()!, """{"approved": true}""", "lea", "legal");

        await response.AssertProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Complete_UnknownTask_Returns404()
    {
        using var response = await CompleteAsync("no-such-task", """{"approved": true}""");

        var problem = await response.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("Task not found", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Complete_HumanReviewWithoutHeaders_AnyoneMayAnswer()
    {
        var id = await _client.StartAsync("human_review", """{"input": {"document": "Q3 report"}}""");
        await factory.Engine.WaitForItemAsync(id, RunItemTypes.RunWaiting);
        var task = (await _client.GetFromJsonAsync<JsonElement>($"/api/tasks?instance={id}", Patience.Token())).GetProperty("items")[0];

        using var response = await CompleteAsync(task.GetProperty("id").GetString()!, """{"approved": true, "comment": "Looks good"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("developer", (await response.ReadJsonAsync()).GetProperty("task").GetProperty("completedBy").GetString());
        Assert.Equal(RunStatus.Completed, (await factory.Engine.WaitForEndAsync(id)).Status);
    }

    [Fact]
    public async Task Get_PendingTask_ReturnsEveryFieldOfTheContract()
    {
        var (id, tasks) = await StartApprovalsAsync();

        var task = await _client.GetFromJsonAsync<JsonElement>($"/api/tasks/{tasks["security_approval"].GetProperty("id").GetString()}", Patience.Token());

        Assert.Equal(id, task.GetProperty("instanceId").GetString());
        Assert.Equal(ParallelApprovals.Name, task.GetProperty("workflow").GetString());
        Assert.Equal("security_approval", task.GetProperty("step").GetString());
        Assert.Equal("Security approval", task.GetProperty("title").GetString());
        Assert.False(string.IsNullOrEmpty(task.GetProperty("description").GetString()));
        Assert.Equal("object", task.GetProperty("formSchema").GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Null, task.GetProperty("assignee").ValueKind);
        Assert.Equal("security", task.GetProperty("group").GetString());
        Assert.Equal("pending", task.GetProperty("status").GetString());
        Assert.True(task.TryGetProperty("createdAt", out _));
        Assert.Equal(JsonValueKind.Null, task.GetProperty("dueAt").ValueKind);
        Assert.False(task.GetProperty("overdue").GetBoolean());
        Assert.Equal(JsonValueKind.Null, task.GetProperty("completedBy").ValueKind);
        Assert.Equal(JsonValueKind.Null, task.GetProperty("completedAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, task.GetProperty("data").ValueKind);
        factory.Engine.FindRun(id)!.Cancel();
    }

    [Fact]
    public async Task Get_TaskPastItsDeadline_IsOverdue()
    {
        var id = await _client.StartAsync(OverdueReviewWorkflow.WorkflowName);
        await factory.Engine.WaitForItemAsync(id, RunItemTypes.RunWaiting);
        var listed = (await _client.GetFromJsonAsync<JsonElement>($"/api/tasks?instance={id}", Patience.Token())).GetProperty("items")[0];
        await Task.Delay(5, Patience.Token()); // the deadline is 1 ms after creation

        var task = await _client.GetFromJsonAsync<JsonElement>($"/api/tasks/{listed.GetProperty("id").GetString()}", Patience.Token());

        Assert.NotEqual(JsonValueKind.Null, task.GetProperty("dueAt").ValueKind);
        Assert.True(task.GetProperty("overdue").GetBoolean());
        factory.Engine.FindRun(id)!.Cancel();
    }

    [Fact]
    public async Task Get_UnknownTask_Returns404()
    {
        using var response = await _client.GetAsync("/api/tasks/no-such-task", Patience.Token());

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task List_Filters_CombineByStatusGroupAndInstance()
    {
        var (id, tasks) = await StartApprovalsAsync();
        using var _ = await CompleteAsync(tasks["legal_approval"].GetProperty("id").GetString()!, """{"approved": true}""", "lea", "legal");

        var pending = await _client.GetFromJsonAsync<JsonElement>($"/api/tasks?instance={id}&status=pending", Patience.Token());
        var legal = await _client.GetFromJsonAsync<JsonElement>($"/api/tasks?instance={id}&group=legal", Patience.Token());
        var completed = await _client.GetFromJsonAsync<JsonElement>($"/api/tasks?instance={id}&status=completed&group=legal", Patience.Token());
        var nobody = await _client.GetFromJsonAsync<JsonElement>($"/api/tasks?instance={id}&assignee=nobody", Patience.Token());

        Assert.Equal(["finance_approval", "security_approval"], Steps(pending).Order());
        Assert.Equal(["legal_approval"], Steps(legal));
        Assert.Equal(["legal_approval"], Steps(completed));
        Assert.Empty(Steps(nobody));
        Assert.Equal(JsonValueKind.Null, pending.GetProperty("nextCursor").ValueKind);
        factory.Engine.FindRun(id)!.Cancel();
    }

    [Fact]
    public async Task List_Paged_WalksEveryTaskOnce()
    {
        var (id, _) = await StartApprovalsAsync();

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await _client.GetFromJsonAsync<JsonElement>($"/api/tasks?instance={id}&limit=2{(cursor is null ? "" : $"&cursor={cursor}")}", Patience.Token());
            seen.AddRange(Steps(page));
            cursor = page.GetProperty("nextCursor").GetString();
            pages++;
        }
        while (cursor is not null && pages < 5);

        Assert.Equal(2, pages);
        Assert.Equal(["finance_approval", "legal_approval", "security_approval"], seen.Order());
        factory.Engine.FindRun(id)!.Cancel();
    }

    [Theory]
    [InlineData("?status=open", "status")]
    [InlineData("?status=1", "status")]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=x", "limit")]
    [InlineData("?cursor=!!", "cursor")]
    public async Task List_BadFilter_Returns400NamingIt(string query, string name)
    {
        using var response = await _client.GetAsync($"/api/tasks{query}", Patience.Token());

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal([name], problem.ErrorKeys());
    }

    private static IEnumerable<string> Steps(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("step").GetString()!).ToArray();
}
