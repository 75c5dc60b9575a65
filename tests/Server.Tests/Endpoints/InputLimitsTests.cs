using System.Net;
using Workflows.Server.Tests.Doubles;
using Workflows.Server.Tests.Support;

namespace Workflows.Server.Tests.Endpoints;

/// <summary>Values over the limits (string length, array length, nesting depth) are refused with 400 naming the field by JSON pointer.</summary>
public sealed class InputLimitsTests : IClassFixture<InputLimitsTests.SmallLimitsFactory>
{
    private readonly HttpClient _client;
    private readonly SmallLimitsFactory _factory;

    public InputLimitsTests(SmallLimitsFactory factory)
    {
        _factory = factory;
        _client = factory.CreateClient();
    }

    /// <summary>Strings up to 100 characters, arrays up to 5 items, JSON up to 8 levels.</summary>
    public sealed class SmallLimitsFactory : ServerFactory
    {
        public SmallLimitsFactory()
        {
            Settings["Workflows:Server:MaxStringLength"] = "100";
            Settings["Workflows:Server:MaxArrayLength"] = "5";
            Settings["Workflows:Server:MaxJsonDepth"] = "8";
        }
    }

    private int RunCount => _factory.Engine.ListRunsAsync(new RunListQuery { Limit = 500 }).GetAwaiter().GetResult().Items.Count;

    [Fact]
    public async Task Start_StringOverTheLimit_Answers400NamingItsPointer_AndStartsNothing()
    {
        var before = RunCount;

        using var response = await _client.PostStartAsync(GreeterWorkflow.WorkflowName, "{\"input\": {\"name\": \"Ada\", \"notes\": {\"a/b\": \"" + new string('x', 101) + "\"}}}");

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["/input/notes/a~1b"], problem.ErrorKeys());
        Assert.Contains("101 characters", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, RunCount);
    }

    [Fact]
    public async Task Start_ArrayOverTheLimit_Answers400NamingItsPointer()
    {
        using var response = await _client.PostStartAsync(GreeterWorkflow.WorkflowName, """{"input": {"name": "Ada", "tags": [1, 2, 3, 4, 5, 6]}}""");

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["/input/tags"], problem.ErrorKeys());
        Assert.Contains("6 items", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_PropertyNameOverTheLimit_Answers400NamingTheObject()
    {
        using var response = await _client.PostStartAsync(GreeterWorkflow.WorkflowName, $$$"""{"input": {"{{{new string('k', 101)}}}": 1}}""");

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["/input"], problem.ErrorKeys());
    }

    [Fact]
    public async Task Start_NestedDeeperThanTheLimit_Answers400NamingTheInput()
    {
        var deep = string.Concat(Enumerable.Repeat("{\"a\": ", 10)) + "1" + new string('}', 10);

        using var response = await _client.PostStartAsync(GreeterWorkflow.WorkflowName, $$$"""{"input": {{{deep}}}}""");

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        var key = Assert.Single(problem.ErrorKeys());
        Assert.StartsWith("/input", key, StringComparison.Ordinal);
        Assert.Contains("depth", problem.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task SendEvent_DataOverTheLimit_Answers400NamingItsPointer()
    {
        using var response = await _client.PostAsync("/api/instances/0197c1d2e3f4/events", Api.Json($$$"""{"type": "payment", "data": {"memo": "{{{new string('m', 101)}}}"}}"""), Patience.Token());

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["/data/memo"], problem.ErrorKeys());
    }

    [Fact]
    public async Task CompleteTask_AnswerOverTheLimit_Answers400NamingItsPointer()
    {
        using var response = await _client.PostAsync("/api/tasks/no-such-task/complete", Api.Json("""{"approved": true, "reviewers": ["a", "b", "c", "d", "e", "f"]}"""), Patience.Token());

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["/reviewers"], problem.ErrorKeys());
    }

    [Fact]
    public async Task Start_ValuesAtTheLimits_AreAccepted()
    {
        using var response = await _client.PostStartAsync(GreeterWorkflow.WorkflowName, $$$"""{"input": {"name": "{{{new string('x', 100)}}}", "tags": [1, 2, 3, 4, 5]}}""");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }
}
