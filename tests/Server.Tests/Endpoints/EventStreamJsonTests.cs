using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Workflows.Definitions.Graph;
using Workflows.Server.Tests.Doubles;
using Workflows.Server.Tests.Support;

namespace Workflows.Server.Tests.Endpoints;

/// <summary><c>GET /api/instances/{id}/events</c> without <c>Accept: text/event-stream</c>: a JSON array; and the answers that are not a stream.</summary>
public sealed class EventStreamJsonTests(ServerFactory factory) : IClassFixture<ServerFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Events_FinishedRunAsJson_ReturnsEveryItemInOrderWithInstanceId()
    {
        var id = await _client.StartAsync(ParallelNotify.Name, """{"input": {"delaysMs": {"email": 5, "slack": 5, "sms": 5}}}""");
        await factory.Engine.WaitForEndAsync(id);

        using var response = await _client.GetAsync($"/api/instances/{id}/events", Patience.Token());
        var items = (await response.ReadJsonAsync()).EnumerateArray().ToArray();

        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Enumerable.Range(1, items.Length).Select(i => (long)i), items.Select(i => i.GetProperty("sequence").GetInt64()));
        Assert.All(items, i => Assert.Equal(id, i.GetProperty("instanceId").GetString()));
        Assert.Equal("run.started", items[0].GetProperty("type").GetString());
        Assert.Equal("run.completed", items[^1].GetProperty("type").GetString());
    }

    [Fact]
    public async Task Events_WaitingRunAsJson_ReturnsWhatIsRecordedWithoutWaiting()
    {
        var id = await _client.StartAsync("human_review", """{"input": {"document": "Q3 report"}}""");
        await factory.Engine.WaitForItemAsync(id, RunItemTypes.RunWaiting);

        var items = await _client.GetFromJsonAsync<JsonElement[]>($"/api/instances/{id}/events?after=1", Patience.Token());

        Assert.Equal(2, items![0].GetProperty("sequence").GetInt64());
        Assert.Equal("run.waiting", items[^1].GetProperty("type").GetString());
        Assert.Contains(items, i => i.GetProperty("type").GetString() == "task.created");
        factory.Engine.FindRun(id)!.Cancel();
    }

    [Fact]
    public async Task Events_RunningRunNothingAfterCursor_ReturnsAnEmptyArray()
    {
        var id = await _client.StartAsync("human_review", """{"input": {"document": "Q3 report"}}""");
        await factory.Engine.WaitForItemAsync(id, RunItemTypes.RunWaiting);
        var last = factory.Engine.FindRun(id)!.Items.Last!.Sequence;

        var items = await _client.GetFromJsonAsync<JsonElement[]>($"/api/instances/{id}/events?after={last}", Patience.Token());

        Assert.Empty(items!);
        factory.Engine.FindRun(id)!.Cancel();
    }

    [Fact]
    public async Task Events_FinishedRunNothingAfterCursor_Returns204()
    {
        var id = await _client.StartAsync(GreeterWorkflow.WorkflowName);
        await factory.Engine.WaitForEndAsync(id);
        var last = factory.Engine.FindRun(id)!.Items.Last!.Sequence;

        using var json = await _client.GetAsync($"/api/instances/{id}/events?after={last}", Patience.Token());
        using var beyond = await _client.GetAsync($"/api/instances/{id}/events?after={last + 100}", Patience.Token());

        Assert.Equal(HttpStatusCode.NoContent, json.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, beyond.StatusCode);
    }

    [Fact]
    public async Task Events_UnknownRun_Returns404()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/instances/no-such-run/events");
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var response = await _client.SendAsync(request, Patience.Token());

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("?after=-1", null, "after")]
    [InlineData("?after=abc", null, "after")]
    [InlineData("", "abc", "Last-Event-ID")]
    [InlineData("", "-3", "Last-Event-ID")]
    public async Task Events_BadCursor_Returns400NamingIt(string query, string? lastEventId, string name)
    {
        var id = await _client.StartAsync(GreeterWorkflow.WorkflowName);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/instances/{id}/events{query}");
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (lastEventId is not null)
        {
            request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);
        }

        using var response = await _client.SendAsync(request, Patience.Token());

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal([name], problem.ErrorKeys());
    }
}
