using System.Net;
using System.Text;
using Workflows.Server.Tests.Doubles;
using Workflows.Server.Tests.Support;

namespace Workflows.Server.Tests.Endpoints;

/// <summary>Bad input the framework refuses before any handler runs: still a problem document, never a 500.</summary>
public sealed class ErrorsTests(ServerFactory factory) : IClassFixture<ServerFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Post_BodyAboveTheLimit_Returns413Problem()
    {
        var body = """{"input": {"text": "TEXT"}}""".Replace("TEXT", new string('a', 1024 * 1024), StringComparison.Ordinal);

        using var response = await _client.PostStartAsync(GreeterWorkflow.WorkflowName, body);

        var problem = await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("1048576", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Post_BodyAboveAConfiguredLimit_Returns413Problem()
    {
        using var small = new ServerFactory { Settings = { ["Workflows:Server:MaxRequestBodyBytes"] = "2048" } };

        using var response = await small.CreateClient().PostStartAsync(GreeterWorkflow.WorkflowName,
            """{"input": {"text": "TEXT"}}""".Replace("TEXT", new string('a', 4096), StringComparison.Ordinal));

        var problem = await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("2048", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Post_NotJson_Returns415Problem()
    {
        using var response = await _client.PostAsync($"/api/workflows/{GreeterWorkflow.WorkflowName}/instances",
            new StringContent("name=Ada", Encoding.UTF8, "application/x-www-form-urlencoded"), Patience.Token());

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.Contains("application/json", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task SendEvent_NoBody_Returns400Problem()
    {
        using var response = await _client.PostAsync("/api/instances/any/events", Api.Json(""), Patience.Token());

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task WrongMethod_Returns405Problem()
    {
        using var response = await _client.DeleteAsync("/api/instances", Patience.Token());

        await response.AssertProblemAsync(HttpStatusCode.MethodNotAllowed);
    }

    [Fact]
    public async Task UnknownRoute_Returns404ProblemWithDetail()
    {
        using var response = await _client.GetAsync("/api/nothing-here", Patience.Token());

        var problem = await response.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("/api/nothing-here", problem.GetProperty("instance").GetString());
    }

    [Theory]
    [InlineData("$", "")]
    [InlineData("$.input", "/input")]
    [InlineData("$.input.items[2].price", "/input/items/2/price")]
    [InlineData("$['a/b']", "/a~1b")]
    [InlineData(null, "")]
    public void ToPointer_JsonPath_BecomesAJsonPointer(string? path, string pointer) =>
        Assert.Equal(pointer, Workflows.Server.Endpoints.Problems.ToPointer(path));
}
