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
        Assert.Equal(BuiltInNames().Append(GreeterWorkflow.WorkflowName).Order(StringComparer.Ordinal), names);

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
