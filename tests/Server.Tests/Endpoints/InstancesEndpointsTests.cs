using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Workflows.Definitions.Graph;
using Workflows.Server.Tests.Doubles;
using Workflows.Server.Tests.Support;

namespace Workflows.Server.Tests.Endpoints;

public sealed class InstancesEndpointsTests(ServerFactory factory) : IClassFixture<ServerFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private const string QuickNotify = """{"input": {"delaysMs": {"email": 5, "slack": 5, "sms": 5}}}""";
    private const string StuckNotify = """{"input": {"delaysMs": {"email": 60000, "slack": 60000, "sms": 60000}}}""";

    // ---- POST /api/workflows/{name}/instances ----

    [Fact]
    public async Task Start_KnownWorkflow_Returns201WithLocationAndSummary()
    {
        using var response = await _client.PostStartAsync(ParallelNotify.Name, QuickNotify);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.ReadJsonAsync();
        var id = body.GetProperty("id").GetString()!;
        Assert.Equal($"/api/instances/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal(ParallelNotify.Name, body.GetProperty("workflow").GetString());
        Assert.Equal("1.0.0", body.GetProperty("version").GetString());
        Assert.Contains(body.GetProperty("status").GetString(), new[] { "pending", "running", "completed" });
        Assert.True(body.TryGetProperty("createdAt", out _));
        Assert.Equal(RunStatus.Completed, (await factory.Engine.WaitForEndAsync(id)).Status);
    }

    [Fact]
    public async Task Start_NoBody_StartsWithEmptyInput()
    {
        using var response = await _client.PostAsync($"/api/workflows/{GreeterWorkflow.WorkflowName}/instances", null, Patience.Token());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await response.ReadJsonAsync()).GetProperty("id").GetString()!;
        Assert.Equal("Hello, world!", (await factory.Engine.WaitForEndAsync(id)).Result);
    }

    [Fact]
    public async Task Start_VersionInBody_PinsTheRunToThatVersion()
    {
        using var response = await _client.PostStartAsync(GreeterWorkflow.WorkflowName, """{"version": "1.0.0", "input": {"name": "Ada"}}""");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("1.0.0", (await response.ReadJsonAsync()).GetProperty("version").GetString());
    }

    [Fact]
    public async Task Start_WaitLongEnough_Returns200WithTheFinishedRun()
    {
        using var response = await _client.PostStartAsync(GreeterWorkflow.WorkflowName, """{"input": {"name": "Ada"}}""", "?wait=10");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal("completed", body.GetProperty("status").GetString());
        Assert.Equal("Hello, Ada!", body.GetProperty("result").GetString());
        Assert.Equal($"/api/instances/{body.GetProperty("id").GetString()}", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Start_WaitTooShort_Returns202WithTheSummary()
    {
        using var response = await _client.PostStartAsync(ParallelNotify.Name, StuckNotify, "?wait=0.1");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.ReadJsonAsync();
        var id = body.GetProperty("id").GetString()!;
        Assert.Equal("running", body.GetProperty("status").GetString());
        Assert.Equal($"/api/instances/{id}", response.Headers.Location?.OriginalString);
        factory.Engine.FindRun(id)!.Cancel("test over");
    }

    [Theory]
    [InlineData("?wait=-1")]
    [InlineData("?wait=100000")]
    [InlineData("?wait=soon")]
    public async Task Start_BadWait_Returns400NamingWait(string query)
    {
        using var response = await _client.PostStartAsync(GreeterWorkflow.WorkflowName, "{}", query);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["wait"], problem.ErrorKeys());
    }

    [Fact]
    public async Task Start_UnknownWorkflow_Returns404()
    {
        using var response = await _client.PostStartAsync("no_such_workflow");

        var problem = await response.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("Workflow not found", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Start_UnknownVersion_Returns404NamingTheVersions()
    {
        using var response = await _client.PostStartAsync(GreeterWorkflow.WorkflowName, """{"version": "9.9.9"}""");

        var problem = await response.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains("1.0.0, 1.1.0", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("""{"input": 5}""", "/input")]
    [InlineData("""{"input": []}""", "/input")]
    [InlineData("""{"version": 7}""", "/version")]
    [InlineData("""{"delaysMs": {}}""", "/delaysMs")]
    [InlineData("""{"input": {""", "/input")]
    [InlineData("""[1, 2]""", "")]
    [InlineData("""not json""", "")]
    public async Task Start_MalformedOrMistypedBody_Returns400NamingTheField(string body, string pointer)
    {
        using var response = await _client.PostStartAsync(ParallelNotify.Name, body);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal([pointer], problem.ErrorKeys());
    }

    [Fact]
    public async Task Start_InputThatDoesNotFitTheStartEvent_Returns400()
    {
        using var response = await _client.PostStartAsync("parallel_flow", """{"input": {"queries": "not a list"}}""");

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("Invalid input", problem.GetProperty("title").GetString());
        Assert.Equal(["/input"], problem.ErrorKeys());
    }

    [Fact]
    public async Task Start_DuplicateCorrelationId_Returns409WithTheExistingRunsId()
    {
        var correlation = $"order-{Guid.NewGuid():N}";
        var first = await _client.StartAsync(GreeterWorkflow.WorkflowName, $$"""{"correlationId": "{{correlation}}"}""");

        using var second = await _client.PostStartAsync(GreeterWorkflow.WorkflowName, $$"""{"correlationId": "{{correlation}}"}""");

        var problem = await second.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(first, problem.GetProperty("existingInstanceId").GetString());
        Assert.Contains(first, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Start_BlankCorrelationId_Returns400()
    {
        using var response = await _client.PostStartAsync(GreeterWorkflow.WorkflowName, """{"correlationId": "  "}""");

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["/correlationId"], problem.ErrorKeys());
    }

    // ---- GET /api/instances ----

    [Fact]
    public async Task List_FilteredByWorkflowAndPaged_WalksEveryRunNewestFirstWithoutRepeats()
    {
        using var own = new ServerFactory();
        var client = own.CreateClient();
        var started = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            started.Add(await client.StartAsync(GreeterWorkflow.WorkflowName));
        }
        await client.StartAsync(ParallelNotify.Name, QuickNotify);

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await client.GetFromJsonAsync<JsonElement>(
                $"/api/instances?workflow={GreeterWorkflow.WorkflowName}&limit=2{(cursor is null ? "" : $"&cursor={cursor}")}", Patience.Token());
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!));
            cursor = page.GetProperty("nextCursor").GetString();
            pages++;
        }
        while (cursor is not null && pages < 10);

        Assert.Equal(3, pages);
        Assert.Equal(started.AsEnumerable().Reverse(), seen);
    }

    [Fact]
    public async Task List_FilteredByStatus_ReturnsOnlyThatStatus()
    {
        using var own = new ServerFactory();
        var client = own.CreateClient();
        var done = await client.StartAsync(GreeterWorkflow.WorkflowName);
        await own.Engine.WaitForEndAsync(done);
        var stuck = await client.StartAsync(ParallelNotify.Name, StuckNotify);

        var running = await client.GetFromJsonAsync<JsonElement>("/api/instances?status=running", Patience.Token());
        var completed = await client.GetFromJsonAsync<JsonElement>("/api/instances?status=completed&workflow=" + GreeterWorkflow.WorkflowName, Patience.Token());

        Assert.Equal([stuck], running.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()));
        Assert.Equal([done], completed.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()));
        Assert.Equal(JsonValueKind.Null, completed.GetProperty("nextCursor").ValueKind);
        own.Engine.FindRun(stuck)!.Cancel();
    }

    [Fact]
    public async Task List_ByCorrelationId_FindsThatRun()
    {
        var correlation = $"c-{Guid.NewGuid():N}";
        var id = await _client.StartAsync(GreeterWorkflow.WorkflowName, $$"""{"correlationId": "{{correlation}}"}""");

        var page = await _client.GetFromJsonAsync<JsonElement>($"/api/instances?correlationId={correlation}", Patience.Token());

        Assert.Equal([id], page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()));
    }

    [Theory]
    [InlineData("?status=done", "status")]
    [InlineData("?status=Running_", "status")]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=501", "limit")]
    [InlineData("?limit=ten", "limit")]
    [InlineData("?cursor=not-a-cursor", "cursor")]
    [InlineData("?cursor=bm90aGluZw", "cursor")]
    public async Task List_BadFilter_Returns400NamingIt(string query, string name)
    {
        using var response = await _client.GetAsync($"/api/instances{query}", Patience.Token());

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal([name], problem.ErrorKeys());
    }

    // ---- GET /api/instances/{id} ----

    [Fact]
    public async Task Get_FinishedRun_ReturnsInputStateResultStepsAndTimestamps()
    {
        var id = await _client.StartAsync(ParallelNotify.Name, QuickNotify);
        await factory.Engine.WaitForEndAsync(id);

        var run = await _client.GetFromJsonAsync<JsonElement>($"/api/instances/{id}", Patience.Token());

        Assert.Equal(id, run.GetProperty("id").GetString());
        Assert.Equal("completed", run.GetProperty("status").GetString());
        Assert.Equal("1.0.0", run.GetProperty("version").GetString());
        Assert.Equal(5, run.GetProperty("input").GetProperty("delaysMs").GetProperty("email").GetInt32());
        Assert.True(run.GetProperty("state").GetProperty("completed").GetBoolean());
        Assert.True(run.GetProperty("result").GetProperty("email_sent").GetBoolean());
        Assert.Equal(JsonValueKind.Null, run.GetProperty("error").ValueKind);
        Assert.NotEqual(JsonValueKind.Null, run.GetProperty("endedAt").ValueKind);
        var steps = run.GetProperty("steps").EnumerateArray().ToArray();
        Assert.Equal(["complete", "process", "send_email", "send_slack", "send_sms"], steps.Select(s => s.GetProperty("step").GetString()).Order());
        Assert.All(steps, s =>
        {
            Assert.Equal("completed", s.GetProperty("status").GetString());
            Assert.Equal(1, s.GetProperty("attempt").GetInt32());
            Assert.True(s.TryGetProperty("worker", out _));
            Assert.NotEqual(JsonValueKind.Null, s.GetProperty("endedAt").ValueKind);
        });
        Assert.Empty(run.GetProperty("openTasks").EnumerateArray());
        Assert.True(run.GetProperty("lastSequence").GetInt64() > 5);
    }

    [Fact]
    public async Task Get_FailedRun_ReturnsTheErrorWithStepTypeAndMessage()
    {
        var id = await _client.StartAsync("human_review", """{"input": {}}""");
        await factory.Engine.WaitForEndAsync(id);

        var run = await _client.GetFromJsonAsync<JsonElement>($"/api/instances/{id}", Patience.Token());

        Assert.Equal("failed", run.GetProperty("status").GetString());
        var error = run.GetProperty("error");
        Assert.Equal("request_review", error.GetProperty("step").GetString());
        Assert.Equal("ArgumentException", error.GetProperty("type").GetString());
        Assert.Contains("document", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Get_WaitingRun_ListsItsOpenTasks()
    {
        var id = await _client.StartAsync("human_review", """{"input": {"document": "Q3 report"}}""");
        await factory.Engine.WaitForItemAsync(id, RunItemTypes.RunWaiting);

        var run = await _client.GetFromJsonAsync<JsonElement>($"/api/instances/{id}", Patience.Token());

        Assert.Equal("waiting", run.GetProperty("status").GetString());
        var task = Assert.Single(run.GetProperty("openTasks").EnumerateArray());
        Assert.Equal(id, task.GetProperty("instanceId").GetString());
        Assert.Equal("pending", task.GetProperty("status").GetString());
        factory.Engine.FindRun(id)!.Cancel();
    }

    [Fact]
    public async Task Get_UnknownId_Returns404()
    {
        using var response = await _client.GetAsync("/api/instances/no-such-run", Patience.Token());

        var problem = await response.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("Instance not found", problem.GetProperty("title").GetString());
    }

    // ---- GET /api/instances/{id}/graph ----

    [Fact]
    public async Task Graph_FinishedRun_ColoursEveryStepDone()
    {
        var id = await _client.StartAsync(ParallelNotify.Name, QuickNotify);
        await factory.Engine.WaitForEndAsync(id);

        var graph = await _client.GetFromJsonAsync<JsonElement>($"/api/instances/{id}/graph", Patience.Token());

        Assert.Equal(ParallelNotify.Name, graph.GetProperty("workflow").GetString());
        Assert.All(graph.GetProperty("nodes").EnumerateArray(), n => Assert.Equal("done", n.GetProperty("state").GetString()));
    }

    [Fact]
    public async Task Graph_RaceRun_ColoursTheLoserCanceled()
    {
        var id = await _client.StartAsync(RaceFetch.Name, """{"input": {"fastDelayMs": 5, "reliableDelayMs": 5000}}""");
        await factory.Engine.WaitForEndAsync(id);

        using var response = await _client.GetAsync($"/api/instances/{id}/graph?format=mermaid", Patience.Token());
        var mermaid = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("flowchart TD", mermaid);
        Assert.Contains("classDef canceled", mermaid);
        Assert.Contains("classDef done", mermaid);
    }

    [Fact]
    public async Task Graph_WaitingRunAsHtml_IsASelfContainedPageShowingTheWaitingStep()
    {
        var id = await _client.StartAsync(ParallelApprovals.Name);
        await factory.Engine.WaitForItemAsync(id, RunItemTypes.RunWaiting);

        using var response = await _client.GetAsync($"/api/instances/{id}/graph?format=html", Patience.Token());
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<svg", html);
        Assert.Contains("class=\"node human waiting\"", html);
        Assert.Contains("<pre>flowchart TD", html);
        AssertOffline(html);
        factory.Engine.FindRun(id)!.Cancel();
    }

    [Fact]
    public async Task Graph_UnknownFormat_Returns400NamingFormat()
    {
        var id = await _client.StartAsync(GreeterWorkflow.WorkflowName);

        using var response = await _client.GetAsync($"/api/instances/{id}/graph?format=png", Patience.Token());

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["format"], problem.ErrorKeys());
    }

    [Fact]
    public async Task Graph_UnknownId_Returns404()
    {
        using var response = await _client.GetAsync("/api/instances/no-such-run/graph", Patience.Token());

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    // ---- POST /api/instances/{id}/cancel ----

    [Fact]
    public async Task Cancel_RunningRun_Returns200WithTheCanceledRun()
    {
        var id = await _client.StartAsync(ParallelNotify.Name, StuckNotify);
        await factory.Engine.WaitForItemAsync(id, RunItemTypes.StepStarted);

        using var response = await _client.PostAsync($"/api/instances/{id}/cancel", Api.Json("""{"reason": "no longer needed"}"""), Patience.Token());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var run = await response.ReadJsonAsync();
        Assert.Equal("canceled", run.GetProperty("status").GetString());
        Assert.Contains("no longer needed", run.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task Cancel_NoBody_CancelsWithADefaultReason()
    {
        var id = await _client.StartAsync(ParallelNotify.Name, StuckNotify);

        using var response = await _client.PostAsync($"/api/instances/{id}/cancel", null, Patience.Token());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("canceled", (await response.ReadJsonAsync()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Cancel_EndedRun_Returns409()
    {
        var id = await _client.StartAsync(GreeterWorkflow.WorkflowName);
        await factory.Engine.WaitForEndAsync(id);

        using var response = await _client.PostAsync($"/api/instances/{id}/cancel", Api.Json("{}"), Patience.Token());

        var problem = await response.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("completed", problem.GetProperty("instanceStatus").GetString());
    }

    [Fact]
    public async Task Cancel_UnknownId_Returns404()
    {
        using var response = await _client.PostAsync("/api/instances/no-such-run/cancel", Api.Json("{}"), Patience.Token());

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Cancel_ReasonOfWrongType_Returns400NamingIt()
    {
        using var response = await _client.PostAsync("/api/instances/any/cancel", Api.Json("""{"reason": 5}"""), Patience.Token());

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["/reason"], problem.ErrorKeys());
    }

    // ---- POST /api/instances/{id}/events ----

    [Fact]
    public async Task SendEvent_AcceptedType_Returns202AndTheRunUsesIt()
    {
        var id = await _client.StartAsync(AwaitsPaymentWorkflow.WorkflowName);
        await factory.Engine.WaitForItemAsync(id, RunItemTypes.RunWaiting);

        using var response = await _client.PostAsync($"/api/instances/{id}/events", Api.Json("""{"type": "payment", "data": {"amount": 12.5}}"""), Patience.Token());

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var outcome = await factory.Engine.WaitForEndAsync(id);
        Assert.Equal(RunStatus.Completed, outcome.Status);
        Assert.Equal(12.5m, (decimal)outcome.Result!);
    }

    [Theory]
    [InlineData("""{"type": "refund", "data": {}}""", "/type")]
    [InlineData("""{"data": {}}""", "/type")]
    [InlineData("""{"type": "payment", "data": {"amount": "lots"}}""", "/data")]
    [InlineData("""{"type": "payment", "data": 5}""", "/data")]
    public async Task SendEvent_UnknownTypeOrBadData_Returns400NamingTheField(string body, string pointer)
    {
        var id = await _client.StartAsync(AwaitsPaymentWorkflow.WorkflowName);

        using var response = await _client.PostAsync($"/api/instances/{id}/events", Api.Json(body), Patience.Token());

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal([pointer], problem.ErrorKeys());
        factory.Engine.FindRun(id)!.Cancel();
    }

    [Fact]
    public async Task SendEvent_UnknownRun_Returns404()
    {
        using var response = await _client.PostAsync("/api/instances/no-such-run/events", Api.Json("""{"type": "payment", "data": {}}"""), Patience.Token());

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task SendEvent_EndedRun_Returns409()
    {
        var id = await _client.StartAsync(AwaitsPaymentWorkflow.WorkflowName);
        await _client.PostAsync($"/api/instances/{id}/cancel", null, Patience.Token());

        using var response = await _client.PostAsync($"/api/instances/{id}/events", Api.Json("""{"type": "payment", "data": {"amount": 1}}"""), Patience.Token());

        await response.AssertProblemAsync(HttpStatusCode.Conflict);
    }

    internal static void AssertOffline(string html)
    {
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("src=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("url(http", html, StringComparison.OrdinalIgnoreCase);
    }
}
