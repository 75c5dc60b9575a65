using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Definitions;
using Workflows.Server.Tests.Doubles;

namespace Workflows.Server.Tests.Endpoints;

public sealed class WorkflowsEndpointsTests(ServerFactory factory) : IClassFixture<ServerFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task ListWorkflows_Always_ListsTheCatalogueAndRegisteredWorkflowsLatestVersionEach()
    {
        var response = await _client.GetAsync("/api/workflows");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var items = (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().ToArray();
        var names = items.Select(i => i.GetProperty("name").GetString()!).ToArray();
        Assert.Equal(BuiltInNames().Concat(ServerFactory.TestWorkflowNames).Order(StringComparer.Ordinal), names);
        Assert.Equal("graph", Assert.Single(items, i => i.GetProperty("name").GetString() == "parallel_notify").GetProperty("kind").GetString());

        var greeter = Assert.Single(items, i => i.GetProperty("name").GetString() == GreeterWorkflow.WorkflowName);
        Assert.Equal("1.1.0", greeter.GetProperty("version").GetString());
        Assert.Equal("Greets whoever the input names.", greeter.GetProperty("description").GetString());
        Assert.Equal("event", greeter.GetProperty("kind").GetString());
        Assert.Equal(["greet", "prepare"], greeter.GetProperty("steps").EnumerateArray().Select(s => s.GetString()).Order());
    }

    [Fact]
    public async Task GetWorkflow_KnownName_ReturnsLatestVersionWithStepsAndVersions()
    {
        var response = await _client.GetAsync($"/api/workflows/{GreeterWorkflow.WorkflowName}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(GreeterWorkflow.WorkflowName, body.GetProperty("name").GetString());
        Assert.Equal("1.1.0", body.GetProperty("version").GetString());
        Assert.Equal("event", body.GetProperty("kind").GetString());
        Assert.Equal(["greet", "prepare"], body.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("name").GetString()).Order());
        Assert.Equal(["1.0.0", "1.1.0"], body.GetProperty("versions").EnumerateArray().Select(v => v.GetString()));
    }

    [Fact]
    public async Task GetWorkflow_GraphWorkflow_ReturnsStepsEdgesConditionsAndFormSchemas()
    {
        var body = await _client.GetFromJsonAsync<JsonElement>("/api/workflows/expense_approval");

        Assert.Equal("graph", body.GetProperty("kind").GetString());
        Assert.Equal("submit", body.GetProperty("initialStep").GetString());
        Assert.Equal(["record"], body.GetProperty("terminalSteps").EnumerateArray().Select(s => s.GetString()));
        var steps = body.GetProperty("steps").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!);
        var manager = steps["manager_approval"];
        Assert.Equal("human", manager.GetProperty("type").GetString());
        Assert.Equal("object", manager.GetProperty("formSchema").GetProperty("type").GetString());
        Assert.Equal(1, manager.GetProperty("numWorkers").GetInt32());
        Assert.True(manager.TryGetProperty("accepts", out _));
        Assert.True(manager.TryGetProperty("emits", out _));
        Assert.True(manager.TryGetProperty("timeoutSeconds", out _));
        Assert.True(manager.TryGetProperty("retry", out _));
        Assert.Contains(body.GetProperty("edges").EnumerateArray(), e =>
            e.GetProperty("source").GetString() == "submit" && e.GetProperty("target").GetString() == "manager_approval"
            && e.GetProperty("condition").GetString() == "amount > 1000");
    }

    [Fact]
    public async Task GetWorkflow_EventDrivenWorkflow_ReturnsAcceptedAndEmittedEventsAndWorkers()
    {
        var body = await _client.GetFromJsonAsync<JsonElement>("/api/workflows/parallel_flow");

        var stepTwo = body.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "step_two");
        Assert.Equal(4, stepTwo.GetProperty("numWorkers").GetInt32());
        Assert.Equal(["StepTwoEvent"], stepTwo.GetProperty("accepts").EnumerateArray().Select(e => e.GetString()));
        Assert.Empty(body.GetProperty("edges").EnumerateArray());
    }

    [Fact]
    public async Task GetWorkflow_StepWithTimeoutAndRetry_ShowsBoth()
    {
        var body = await _client.GetFromJsonAsync<JsonElement>($"/api/workflows/{TimesOutWorkflow.WorkflowName}");

        var hang = Assert.Single(body.GetProperty("steps").EnumerateArray());
        Assert.Equal(30, hang.GetProperty("timeoutSeconds").GetDouble());
        var retry = hang.GetProperty("retry");
        Assert.Equal(3, retry.GetProperty("maximumAttempts").GetInt32());
        Assert.Equal(50, retry.GetProperty("initialIntervalMs").GetDouble());
        Assert.Equal("fixed", retry.GetProperty("backoff").GetString());
    }

    [Fact]
    public async Task GetWorkflow_KnownVersion_ReturnsThatVersion()
    {
        var body = await _client.GetFromJsonAsync<JsonElement>($"/api/workflows/{GreeterWorkflow.WorkflowName}?version=1.0.0");

        Assert.Equal("1.0.0", body.GetProperty("version").GetString());
    }

    [Fact]
    public async Task GetWorkflow_EmptyVersion_ReturnsLatestVersion()
    {
        var body = await _client.GetFromJsonAsync<JsonElement>($"/api/workflows/{GreeterWorkflow.WorkflowName}?version=");

        Assert.Equal("1.1.0", body.GetProperty("version").GetString());
    }

    [Fact]
    public async Task GetWorkflow_UnknownName_Returns404ProblemWithTitleAndDetail()
    {
        var response = await _client.GetAsync("/api/workflows/no_such_workflow");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
        Assert.Equal("Workflow not found", problem.GetProperty("title").GetString());
        Assert.Contains("'no_such_workflow'", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task GetWorkflow_UnknownVersion_Returns404ProblemNamingTheRegisteredVersions()
    {
        var response = await _client.GetAsync($"/api/workflows/{GreeterWorkflow.WorkflowName}?version=9.9.9");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Workflow version not found", problem.GetProperty("title").GetString());
        var detail = problem.GetProperty("detail").GetString();
        Assert.Contains("'9.9.9'", detail);
        Assert.Contains("1.0.0, 1.1.0", detail);
    }

    [Fact]
    public async Task GetWorkflowGraph_DefaultFormat_ReturnsTheJsonModel()
    {
        var graph = await _client.GetFromJsonAsync<JsonElement>("/api/workflows/parallel_notify/graph");

        Assert.Equal("parallel_notify", graph.GetProperty("workflow").GetString());
        Assert.Equal(5, graph.GetProperty("nodes").GetArrayLength());
        Assert.Equal(6, graph.GetProperty("edges").GetArrayLength());
        Assert.All(graph.GetProperty("nodes").EnumerateArray(), n => Assert.Equal(JsonValueKind.Null, n.GetProperty("state").ValueKind));
    }

    [Fact]
    public async Task GetWorkflowGraph_Mermaid_ReturnsAFlowchartAsText()
    {
        var response = await _client.GetAsync("/api/workflows/parallel_approvals/graph?format=mermaid");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("flowchart TD", text);
        Assert.Contains("subgraph", text);
    }

    [Theory]
    [InlineData("parallel_notify")]
    [InlineData("race_fetch")]
    [InlineData("multi_event_flow")]
    [InlineData("expense_approval")]
    public async Task GetWorkflowGraph_Html_IsASelfContainedPageWithADrawingAndTheMermaidText(string name)
    {
        var response = await _client.GetAsync($"/api/workflows/{name}/graph?format=HTML");

        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Contains("<svg", html);
        Assert.Contains("<pre>flowchart TD", html);
        Assert.Contains(">" + name.Split('_')[0], html);
        InstancesEndpointsTests.AssertOffline(html);
    }

    [Fact]
    public async Task GetWorkflowGraph_Version_DrawsThatVersion()
    {
        var graph = await _client.GetFromJsonAsync<JsonElement>($"/api/workflows/{GreeterWorkflow.WorkflowName}/graph?version=1.0.0");

        Assert.Equal("1.0.0", graph.GetProperty("version").GetString());
    }

    [Fact]
    public async Task GetWorkflowGraph_UnknownFormat_Returns400NamingFormat()
    {
        var response = await _client.GetAsync("/api/workflows/parallel_notify/graph?format=png");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("format", out _));
    }

    [Theory]
    [InlineData("/api/workflows/no_such_workflow/graph")]
    [InlineData("/api/workflows/parallel_notify/graph?version=9.9.9")]
    public async Task GetWorkflowGraph_UnknownNameOrVersion_Returns404(string path)
    {
        var response = await _client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task UnknownRoute_Returns404Problem()
    {
        var response = await _client.GetAsync("/api/nothing-here");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>Whatever <c>AddBuiltInDefinitions</c> registers, read the way the server reads it.</summary>
    internal static IEnumerable<string> BuiltInNames()
    {
        using var provider = new ServiceCollection().AddWorkflowEngine().AddBuiltInDefinitions().BuildServiceProvider();
        return provider.GetRequiredService<WorkflowRegistry>().List().Select(w => w.Name).ToArray();
    }
}
