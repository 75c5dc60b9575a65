using System.Net;
using System.Text.Json;
using Workflows.Definitions.Graph;
using Workflows.Server.Tests.Doubles;
using Workflows.Server.Tests.Support;

namespace Workflows.Server.Tests.Streaming;

/// <summary>
/// <c>GET /api/instances/events</c>: every run's status changes on one Server-Sent Events stream, over a real
/// Kestrel connection (the dashboard's live status).
/// </summary>
public sealed class StatusStreamTests(KestrelServerFactory server) : IClassFixture<KestrelServerFactory>
{
    private readonly HttpClient _client = server.CreateStreamingClient();

    [Fact]
    public async Task Stream_FollowsARun_FromWaitingToRunningToItsEnd_AsTheEngineSeesIt()
    {
        var ct = Patience.Token();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var name = $"test_gated_{Guid.NewGuid():N}";
        server.Engine.Registry.Register(GatedApproval(name, gate));
        await using var stream = await StatusStream.OpenAsync(_client, "", ct);
        var id = await _client.StartAsync(name);
        var waiting = await stream.ReadUntilAsync(c => Is(c, id, "waiting"), ct);

        var task = Assert.Single(server.Engine.Tasks.List(new TaskQuery { RunId = id }));
        using (var answer = await _client.PostAsync($"/api/tasks/{task.Id}/complete", Api.Json("""{"approved": true}"""), ct))
        {
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        }
        // The step after the answer holds the run running until the gate opens: the change is there before the end.
        var running = await stream.ReadUntilAsync(c => Is(c, id, "running"), ct);
        Assert.Equal(RunStatus.Running, server.Engine.FindRun(id)!.Status);
        gate.SetResult();
        var ended = await stream.ReadUntilAsync(c => Is(c, id, "completed"), ct);

        var mine = waiting.Concat(running).Concat(ended).Where(c => c.GetProperty("instanceId").GetString() == id).ToList();
        // The first pass already leaves the run waiting for the person, so that is its first change.
        Assert.Equal(["waiting", "running", "completed"], mine.Select(c => c.GetProperty("status").GetString()));
        Assert.Equal([null, "waiting", "running"], mine.Select(c => c.GetProperty("previous").GetString()));
        Assert.Equal(["run.waiting", "step.started", "run.completed"], mine.Select(c => c.GetProperty("item").GetString()));
        Assert.All(mine, c => Assert.Equal(name, c.GetProperty("workflow").GetString()));
        Assert.All(mine, c => Assert.Equal("1.0.0", c.GetProperty("version").GetString()));

        // Each change names the last item of the run's own stream published with it; the last one's time is the run's updatedAt.
        var items = server.Engine.FindRun(id)!.Items.Snapshot();
        Assert.All(mine, c => Assert.Equal(c.GetProperty("item").GetString(), items.Single(i => i.Sequence == c.GetProperty("sequence").GetInt64()).Type));
        var run = await (await _client.GetAsync($"/api/instances/{id}", ct)).ReadJsonAsync();
        Assert.Equal(run.GetProperty("updatedAt").GetDateTimeOffset(), mine[^1].GetProperty("timestamp").GetDateTimeOffset());
    }

    [Fact]
    public async Task Stream_AnswersThatLeaveARunWaiting_ChangeNothing()
    {
        var ct = Patience.Token();
        await using var stream = await StatusStream.OpenAsync(_client, $"?workflow={ParallelApprovals.Name}", ct);
        var id = await _client.StartAsync(ParallelApprovals.Name);
        await server.Engine.WaitForItemAsync(id, RunItemTypes.RunWaiting);
        foreach (var task in server.Engine.Tasks.List(new TaskQuery { RunId = id }))
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/tasks/{task.Id}/complete")
            {
                Content = Api.Json("""{"approved": true, "risk_level": "low"}"""),
            };
            request.Headers.Add("X-Groups", task.Group);
            using var response = await _client.SendAsync(request, ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var mine = (await stream.ReadUntilAsync(c => Is(c, id, "completed"), ct)).Where(c => c.GetProperty("instanceId").GetString() == id).ToList();

        // The first two answers leave it waiting for the third; the callback after the third may run within the
        // pass that ends the run, so "running" may or may not show between.
        var statuses = mine.Select(c => c.GetProperty("status").GetString()).ToList();
        Assert.Equal("waiting", statuses[0]);
        Assert.Equal("completed", statuses[^1]);
        Assert.Single(statuses, s => s == "waiting");
        Assert.True(statuses.Count <= 3);
        for (var i = 1; i < mine.Count; i++)
        {
            Assert.Equal(statuses[i - 1], mine[i].GetProperty("previous").GetString());
        }
    }

    private static bool Is(JsonElement change, string id, string status) =>
        change.GetProperty("instanceId").GetString() == id && change.GetProperty("status").GetString() == status;

    /// <summary>A person approves, then a step runs until <paramref name="gate"/> opens.</summary>
    private static WorkflowDefinition GatedApproval(string name, TaskCompletionSource gate) => new()
    {
        Name = name,
        Steps =
        [
            new HumanStep("approve", "Approve", new System.Text.Json.Nodes.JsonObject { ["type"] = "object" }),
            new MachineStep("work", async (context, cancellationToken) =>
            {
                await gate.Task.WaitAsync(cancellationToken);
                return null;
            }),
        ],
        Edges = [new Edge("approve", "work")],
        InitialStep = "approve",
        TerminalSteps = ["work"],
    };

    [Fact]
    public async Task Stream_WithAWorkflowFilter_SendsOnlyThatWorkflowsRuns()
    {
        var ct = Patience.Token();
        await using var stream = await StatusStream.OpenAsync(_client, $"?workflow={GreeterWorkflow.WorkflowName}", ct);
        var other = await _client.StartAsync(ParallelApprovals.Name);
        await server.Engine.WaitForItemAsync(other, RunItemTypes.RunWaiting);
        var greeter = await _client.StartAsync(GreeterWorkflow.WorkflowName, """{"input": {"name": "Ada"}}""");

        var changes = await stream.ReadUntilAsync(c => c.GetProperty("instanceId").GetString() == greeter && c.GetProperty("status").GetString() == "completed", ct);

        Assert.All(changes, c => Assert.Equal(GreeterWorkflow.WorkflowName, c.GetProperty("workflow").GetString()));
        Assert.DoesNotContain(changes, c => c.GetProperty("instanceId").GetString() == other);
        Assert.Equal(["running", "completed"], changes.Where(c => c.GetProperty("instanceId").GetString() == greeter).Select(c => c.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task Stream_WhenNothingHappens_SendsKeepAliveComments()
    {
        var ct = Patience.Token();
        var quiet = $"test_quiet_{Guid.NewGuid():N}";
        server.Engine.Registry.Register(GatedApproval(quiet, new TaskCompletionSource()));
        await using var stream = await StatusStream.OpenAsync(_client, $"?workflow={quiet}", ct);

        var comment = await stream.NextCommentAsync(ct);

        Assert.Equal(": keep-alive", comment);
        Assert.Equal("no-cache", stream.Response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task Stream_ForAnUnknownWorkflow_Is404()
    {
        using var response = await _client.GetAsync("/api/instances/events?workflow=no_such_workflow", Patience.Token());

        var problem = await response.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains("no_such_workflow", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Route_IsNotTakenForARunId()
    {
        using var response = await _client.GetAsync("/api/instances/events/graph", Patience.Token());

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    /// <summary>A reader of <c>GET /api/instances/events</c>: the data of each <c>instance.status</c> frame.</summary>
    private sealed class StatusStream : IAsyncDisposable
    {
        private readonly StreamReader _reader;

        private StatusStream(HttpResponseMessage response, Stream body)
        {
            Response = response;
            _reader = new StreamReader(body);
        }

        public HttpResponseMessage Response { get; }

        public static async Task<StatusStream> OpenAsync(HttpClient client, string query, CancellationToken cancellationToken)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, $"/api/instances/events{query}");
            request.Headers.Accept.ParseAdd("text/event-stream");
            var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
            return new StatusStream(response, await response.Content.ReadAsStreamAsync(cancellationToken));
        }

        /// <summary>Every change up to and including the first that <paramref name="last"/> accepts.</summary>
        public async Task<List<JsonElement>> ReadUntilAsync(Func<JsonElement, bool> last, CancellationToken cancellationToken)
        {
            var changes = new List<JsonElement>();
            string? type = null;
            while (await _reader.ReadLineAsync(cancellationToken) is { } line)
            {
                if (line.StartsWith("event: ", StringComparison.Ordinal))
                {
                    type = line["event: ".Length..];
                }
                else if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    Assert.Equal("instance.status", type);
                    var change = JsonDocument.Parse(line["data: ".Length..]).RootElement.Clone();
                    changes.Add(change);
                    if (last(change))
                    {
                        return changes;
                    }
                }
            }
            throw new InvalidOperationException("The status stream ended early.");
        }

        public async Task<string> NextCommentAsync(CancellationToken cancellationToken)
        {
            while (await _reader.ReadLineAsync(cancellationToken) is { } line)
            {
                if (line.StartsWith(':'))
                {
                    return line;
                }
            }
            throw new InvalidOperationException("The status stream ended early.");
        }

        public ValueTask DisposeAsync()
        {
            _reader.Dispose();
            Response.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
