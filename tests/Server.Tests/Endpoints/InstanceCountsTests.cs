using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Workflows.Definitions.Graph;
using Workflows.Server.Tests.Doubles;
using Workflows.Server.Tests.Support;

namespace Workflows.Server.Tests.Endpoints;

/// <summary><c>GET /api/instances/counts</c> on a server of its own (no other test's runs), in memory.</summary>
public sealed class InstanceCountsTests(ServerFactory factory) : IClassFixture<ServerFactory>
{
    private static readonly string[] s_wireNames = ["pending", "running", "waiting", "completed", "failed", "canceled", "timed_out"];

    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Counts_AfterRunsInSeveralStates_CountEachByItsStatus_AndPerWorkflow()
    {
        var noRunsYet = await CountsAsync("");
        foreach (var name in new[] { "Ada", "Bo" })
        {
            using var greeted = await _client.PostStartAsync(GreeterWorkflow.WorkflowName, $$$"""{"input": {"name": "{{{name}}}"}}""", "?wait=10");
            Assert.Equal(HttpStatusCode.OK, greeted.StatusCode);
        }
        await factory.Engine.WaitForEndAsync(await _client.StartAsync("human_review", """{"input": {}}"""));   // fails: no document
        await factory.Engine.WaitForEndAsync(await _client.StartAsync(TimesOutWorkflow.WorkflowName));
        var waiting = await _client.StartAsync(AwaitsPaymentWorkflow.WorkflowName);
        var canceled = await _client.StartAsync(AwaitsPaymentWorkflow.WorkflowName);
        await factory.Engine.WaitForItemAsync(waiting, RunItemTypes.RunWaiting);
        await factory.Engine.WaitForItemAsync(canceled, RunItemTypes.RunWaiting);
        using (var cancel = await _client.PostAsync($"/api/instances/{canceled}/cancel", null, Patience.Token()))
        {
            Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        }
        var running = await _client.StartAsync(ParallelNotify.Name, """{"input": {"delaysMs": {"email": 60000, "slack": 60000, "sms": 60000}}}""");
        await factory.Engine.WaitForItemAsync(running, RunItemTypes.StepStarted);

        var all = await CountsAsync("");
        var payments = await CountsAsync($"?workflow={AwaitsPaymentWorkflow.WorkflowName}");
        var greetings = await CountsAsync($"?workflow=%20{GreeterWorkflow.WorkflowName}%20");
        var noneOfThese = await CountsAsync("?workflow=parallel_approvals");
        factory.Engine.FindRun(running)!.Cancel("test over");

        Assert.Equal((0L, "0, 0, 0, 0, 0, 0, 0"), (noRunsYet.Total, string.Join(", ", noRunsYet.ByStatus)));
        Assert.Equal((7L, "0, 1, 1, 2, 1, 1, 1"), (all.Total, string.Join(", ", all.ByStatus)));
        Assert.Equal((2L, "0, 0, 1, 0, 0, 1, 0"), (payments.Total, string.Join(", ", payments.ByStatus)));
        Assert.Equal((2L, "0, 0, 0, 2, 0, 0, 0"), (greetings.Total, string.Join(", ", greetings.ByStatus)));
        Assert.Equal((0L, "0, 0, 0, 0, 0, 0, 0"), (noneOfThese.Total, string.Join(", ", noneOfThese.ByStatus)));
    }

    [Fact]
    public async Task Counts_UnknownWorkflow_Returns404Problem()
    {
        using var response = await _client.GetAsync("/api/instances/counts?workflow=no_such_workflow", Patience.Token());

        var problem = await response.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("Workflow not found", problem.GetProperty("title").GetString());
        Assert.Contains("no_such_workflow", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenApi_DescribesCountsWithEveryStatusByItsWireName()
    {
        var document = await _client.GetFromJsonAsync<JsonElement>("/openapi/v1.json", Patience.Token());

        var operation = document.GetProperty("paths").GetProperty("/api/instances/counts").GetProperty("get");
        var responses = operation.GetProperty("responses");
        Assert.Equal("CountInstances", operation.GetProperty("operationId").GetString());
        Assert.Contains(operation.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "workflow");
        Assert.True(responses.GetProperty("404").GetProperty("content").TryGetProperty("application/problem+json", out _));
        var schema = responses.GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema");
        var byStatus = Resolve(document, Resolve(document, schema).GetProperty("properties").GetProperty("byStatus"));
        Assert.Equal(s_wireNames, byStatus.GetProperty("properties").EnumerateObject().Select(p => p.Name));
    }

    /// <summary>The answer's total and its counts in lifecycle order, after checking that every status is there by its wire name and nothing else.</summary>
    private async Task<(long Total, long[] ByStatus)> CountsAsync(string query)
    {
        using var response = await _client.GetAsync($"/api/instances/counts{query}", Patience.Token());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonAsync();
        var byStatus = body.GetProperty("byStatus");
        Assert.Equal(s_wireNames, byStatus.EnumerateObject().Select(p => p.Name));
        var counts = s_wireNames.Select(s => byStatus.GetProperty(s).GetInt64()).ToArray();
        Assert.Equal(counts.Sum(), body.GetProperty("total").GetInt64());
        return (body.GetProperty("total").GetInt64(), counts);
    }

    private static JsonElement Resolve(JsonElement document, JsonElement schema) =>
        schema.TryGetProperty("$ref", out var reference)
            ? document.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!["#/components/schemas/".Length..])
            : schema;
}
