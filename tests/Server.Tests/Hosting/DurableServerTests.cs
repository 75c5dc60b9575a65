using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Workflows.Server.Tests.Doubles;
using Workflows.Server.Tests.Support;

namespace Workflows.Server.Tests.Hosting;

/// <summary>The server with a connection string: a durable engine over SQLite, whose runs outlive a restart.</summary>
public sealed class DurableServerTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("workflows-server-").FullName;

    private ServerFactory Server() => new() { Settings = { ["ConnectionStrings:Workflows"] = $"Data Source={Path.Combine(_directory, "workflows.db")}" } };

    [Fact]
    public async Task ConnectionString_Set_EngineIsDurableAndHealthProbesTheDatabase()
    {
        using var server = Server();

        using var health = await server.CreateClient().GetAsync("/health", Patience.Token());

        Assert.True(server.Engine.IsDurable);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.True(File.Exists(Path.Combine(_directory, "workflows.db")));
    }

    [Fact]
    public async Task PersistenceConnectionString_SetInsteadOfConnectionStrings_IsUsed()
    {
        using var server = new ServerFactory
        {
            Settings = { ["Workflows:Persistence:ConnectionString"] = $"Data Source={Path.Combine(_directory, "other.db")}" },
        };

        await server.CreateClient().GetAsync("/health", Patience.Token());

        Assert.True(server.Engine.IsDurable);
        Assert.True(File.Exists(Path.Combine(_directory, "other.db")));
    }

    [Fact]
    public async Task FinishedRun_AfterRestart_IsReadListedStreamedAndDrawnFromTheStore()
    {
        string id;
        using (var first = Server())
        {
            using var started = await first.CreateClient().PostStartAsync("parallel_notify", """{"input": {"delaysMs": {"email": 5, "slack": 5, "sms": 5}}}""", "?wait=10");
            Assert.Equal(HttpStatusCode.OK, started.StatusCode);
            id = (await started.ReadJsonAsync()).GetProperty("id").GetString()!;
        }

        using var second = Server();
        var client = second.CreateClient();
        var run = await client.GetFromJsonAsync<JsonElement>($"/api/instances/{id}", Patience.Token());
        var list = await client.GetFromJsonAsync<JsonElement>("/api/instances?workflow=parallel_notify", Patience.Token());
        var items = await client.GetFromJsonAsync<JsonElement[]>($"/api/instances/{id}/events", Patience.Token());
        var graph = await client.GetFromJsonAsync<JsonElement>($"/api/instances/{id}/graph", Patience.Token());
        using var nothingAfter = await client.GetAsync($"/api/instances/{id}/events?after={run.GetProperty("lastSequence").GetInt64()}", Patience.Token());
        using var cancel = await client.PostAsync($"/api/instances/{id}/cancel", null, Patience.Token());

        Assert.Null(second.Engine.FindRun(id));
        Assert.Equal("completed", run.GetProperty("status").GetString());
        Assert.Equal(5, run.GetProperty("steps").GetArrayLength());
        Assert.Contains(list.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetString() == id);
        Assert.Equal(run.GetProperty("lastSequence").GetInt64(), items!.Length);
        Assert.All(items, i => Assert.Equal(id, i.GetProperty("instanceId").GetString()));
        Assert.All(graph.GetProperty("nodes").EnumerateArray(), n => Assert.Equal("done", n.GetProperty("state").GetString()));
        Assert.Equal(HttpStatusCode.NoContent, nothingAfter.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, cancel.StatusCode);
    }

    [Fact]
    public async Task WaitingRun_AfterRestart_ResumesAndItsTaskCanBeCompleted()
    {
        string id;
        using (var first = Server())
        {
            id = await first.CreateClient().StartAsync("human_review", """{"input": {"document": "Q3 report"}}""");
            await first.Engine.WaitForItemAsync(id, RunItemTypes.RunWaiting);
        }

        using var second = Server();
        var client = second.CreateClient();
        var tasks = await client.GetFromJsonAsync<JsonElement>($"/api/tasks?instance={id}&status=pending", Patience.Token());
        var taskId = Assert.Single(tasks.GetProperty("items").EnumerateArray()).GetProperty("id").GetString();
        using var completed = await client.PostAsync($"/api/tasks/{taskId}/complete", Api.Json("""{"approved": true}"""), Patience.Token());

        Assert.Equal(HttpStatusCode.OK, completed.StatusCode);
        Assert.Equal(RunStatus.Completed, (await second.Engine.WaitForEndAsync(id)).Status);
        var run = await client.GetFromJsonAsync<JsonElement>($"/api/instances/{id}", Patience.Token());
        Assert.True(run.GetProperty("result").GetProperty("approved").GetBoolean());
    }

    [Fact]
    public async Task CorrelationId_AfterRestart_StillRefusesADuplicate()
    {
        string id;
        using (var first = Server())
        {
            id = await first.CreateClient().StartAsync(GreeterWorkflow.WorkflowName, """{"correlationId": "order-1"}""");
            await first.Engine.WaitForEndAsync(id);
        }

        using var second = Server();
        using var response = await second.CreateClient().PostStartAsync(GreeterWorkflow.WorkflowName, """{"correlationId": "order-1"}""");

        var problem = await response.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(id, problem.GetProperty("existingInstanceId").GetString());
    }

    [Fact]
    public async Task Counts_AfterRestart_CountEveryStoredRun_NotOnlyTheRetainedOnes()
    {
        // The engine keeps one ended run in memory; the counts come from the store all the same.
        ServerFactory RetainingOne() => new()
        {
            Settings = { ["ConnectionStrings:Workflows"] = $"Data Source={Path.Combine(_directory, "workflows.db")}", ["Workflows:Engine:RetainedRuns"] = "1" },
        };
        using (var first = RetainingOne())
        {
            var client = first.CreateClient();
            for (var i = 0; i < 3; i++)
            {
                await first.Engine.WaitForEndAsync(await client.StartAsync(GreeterWorkflow.WorkflowName));
            }
            var waiting = await client.StartAsync(AwaitsPaymentWorkflow.WorkflowName);
            await first.Engine.WaitForItemAsync(waiting, RunItemTypes.RunWaiting);
        }

        using var second = RetainingOne();
        var counts = await second.CreateClient().GetFromJsonAsync<JsonElement>("/api/instances/counts", Patience.Token());
        var greetings = await second.CreateClient().GetFromJsonAsync<JsonElement>($"/api/instances/counts?workflow={GreeterWorkflow.WorkflowName}", Patience.Token());

        Assert.Equal(4, counts.GetProperty("total").GetInt64());
        Assert.Equal(3, counts.GetProperty("byStatus").GetProperty("completed").GetInt64());
        Assert.Equal(1, counts.GetProperty("byStatus").GetProperty("waiting").GetInt64());
        Assert.Equal(3, greetings.GetProperty("total").GetInt64());
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on some platform: the temp directory is left for the system to clean.
        }
    }
}
