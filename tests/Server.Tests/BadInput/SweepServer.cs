using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Persistence;
using Workflows.Server.Tests.Doubles;
using Workflows.Server.Tests.Support;

namespace Workflows.Server.Tests.BadInput;

/// <summary>
/// The server the bad-input sweep hits: Kestrel on 127.0.0.1, durable on a fresh SQLite file, security enforced with
/// one API key holding every permission (CONTRACT.md; sent as <c>X-Api-Key</c> on every request), and a few runs in
/// every state a request could change: an ended run, a run waiting for a person, a run waiting for an external event,
/// a run waiting for group approvals, and a completed task. <see cref="SnapshotAsync"/> reads everything stored.
/// </summary>
public sealed class SweepServer : IAsyncLifetime
{
    /// <summary>The API key every sweep request carries.</summary>
    public const string ApiKey = "sweep-key-0123456789abcdef";

    private readonly string _directory = Directory.CreateTempSubdirectory("workflows-sweep-").FullName;
    private KestrelServerFactory? _factory;

    /// <summary>Run and task ids by placeholder name (<c>ended</c>, <c>review</c>, <c>payment</c>, ...).</summary>
    public Dictionary<string, string> Ids { get; } = new(StringComparer.Ordinal);

    public KestrelServerFactory Factory => _factory ?? throw new InvalidOperationException("The sweep server is not started.");

    /// <summary>A client over a real connection that sends the API key.</summary>
    public HttpClient CreateClient()
    {
        var client = Factory.CreateStreamingClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        return client;
    }

    public async Task InitializeAsync()
    {
        _factory = KestrelServerFactory.With(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Workflows"] = $"Data Source={Path.Combine(_directory, "sweep.db")}",
            ["Workflows:Security:Mode"] = "Enforced",
            ["Workflows:Security:ApiKeys:sweep:Hash"] = $"sha256:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ApiKey)))}",
            ["Workflows:Security:ApiKeys:sweep:Permissions:0"] = "*",
            // Every case must meet the check it is about, not the rate limit of starts (the sweep sends ~70 starts).
            ["Workflows:Server:RunStartsPerSecond"] = "0",
        });
        var client = CreateClient();
        var engine = Factory.Engine;

        Ids["ended"] = await client.StartAsync(GreeterWorkflow.WorkflowName, """{"input": {"name": "Ada"}, "correlationId": "sweep-ended"}""");
        await engine.WaitForEndAsync(Ids["ended"]);

        Ids["review"] = await client.StartAsync("human_review", """{"input": {"document": "Sweep report"}}""");
        await engine.WaitForItemAsync(Ids["review"], RunItemTypes.RunWaiting);
        Ids["task"] = await SinglePendingTaskAsync(client, Ids["review"]);

        Ids["payment"] = await client.StartAsync(AwaitsPaymentWorkflow.WorkflowName);
        await engine.WaitForItemAsync(Ids["payment"], RunItemTypes.RunWaiting);

        Ids["approvals"] = await client.StartAsync("parallel_approvals");
        await engine.WaitForItemAsync(Ids["approvals"], RunItemTypes.RunWaiting);
        var approvals = await client.GetFromJsonAsync<JsonElement>($"/api/tasks?instance={Ids["approvals"]}&status=pending", Patience.Token());
        Ids["groupTask"] = approvals.GetProperty("items").EnumerateArray().First(t => t.GetProperty("group").GetString() == "legal").GetProperty("id").GetString()!;

        // A task already answered (its run has ended): completing it again is a conflict.
        Ids["reviewed"] = await client.StartAsync("human_review", """{"input": {"document": "Answered report"}}""");
        await engine.WaitForItemAsync(Ids["reviewed"], RunItemTypes.RunWaiting);
        Ids["doneTask"] = await SinglePendingTaskAsync(client, Ids["reviewed"]);
        using (var answered = await client.PostAsync($"/api/tasks/{Ids["doneTask"]}/complete", Api.Json("""{"approved": true}"""), Patience.Token()))
        {
            answered.EnsureSuccessStatusCode();
        }
        await engine.WaitForEndAsync(Ids["reviewed"]);

        await WaitUntilStoredAsync();
    }

    /// <summary>Everything a request could change, as text: the store (runs, states, items, tasks) and the API's view.</summary>
    public async Task<string> SnapshotAsync(HttpClient client)
    {
        var store = Factory.Services.GetRequiredService<IRunStore>();
        var text = new StringBuilder();
        var runs = await store.ListRunsAsync(new RunListQuery { Limit = 500 }, Patience.Token());
        foreach (var run in runs.OrderBy(r => r.Id, StringComparer.Ordinal))
        {
            text.Append("store run ").AppendLine(JsonSerializer.Serialize(await store.GetRunAsync(run.Id, Patience.Token())));
            await foreach (var item in store.ReadItemsAsync(run.Id, 0, Patience.Token()))
            {
                text.Append("store item ").AppendLine(JsonSerializer.Serialize(item));
            }
        }
        foreach (var task in (await store.LoadTasksAsync(Patience.Token())).OrderBy(t => t.Id, StringComparer.Ordinal))
        {
            text.Append("store task ").AppendLine(JsonSerializer.Serialize(task));
        }

        // The API's view reads the engine's memory, where a change shows before its commit reaches the store.
        var list = await client.GetFromJsonAsync<JsonObject>("/api/instances?limit=500", Patience.Token());
        text.Append("api runs ").AppendLine(list!.ToJsonString());
        foreach (var run in list["items"]!.AsArray())
        {
            var id = (string)run!["id"]!;
            text.Append("api run ").AppendLine(await client.GetStringAsync($"/api/instances/{id}", Patience.Token()));
            text.Append("api items ").AppendLine(await client.GetStringAsync($"/api/instances/{id}/events", Patience.Token()));
        }
        text.Append("api tasks ").AppendLine(await client.GetStringAsync("/api/tasks?limit=500", Patience.Token()));
        return text.ToString();
    }

    /// <summary>Waits until the store holds every item the seeded runs published (commits are batched in the background).</summary>
    private async Task WaitUntilStoredAsync()
    {
        var store = Factory.Services.GetRequiredService<IRunStore>();
        using var patience = new CancellationTokenSource(Patience.Timeout);
        foreach (var id in Ids.Where(p => !p.Key.Contains("ask", StringComparison.Ordinal)).Select(p => p.Value))
        {
            var last = (Factory.Engine.FindRun(id)?.Items.Last?.Sequence) ?? 0;
            while ((await store.GetRunAsync(id, patience.Token))?.Run.LastSequence < last)
            {
                await Task.Delay(10, patience.Token);
            }
        }
    }

    private static async Task<string> SinglePendingTaskAsync(HttpClient client, string runId)
    {
        var tasks = await client.GetFromJsonAsync<JsonElement>($"/api/tasks?instance={runId}&status=pending", Patience.Token());
        return Assert.Single(tasks.GetProperty("items").EnumerateArray()).GetProperty("id").GetString()!;
    }

    public Task DisposeAsync()
    {
        _factory?.Dispose();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on some platform: the temp directory is left for the system to clean.
        }
        return Task.CompletedTask;
    }
}
