using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Persistence;
using Workflows.Persistence.EntityFramework;
using Workflows.Serialization;

namespace Workflows.Definitions.Tests;

/// <summary>
/// The catalogue as the sample suite of the engine: every deterministic entry runs to the same result in memory and
/// on SQLite, and the durable run's stored item stream matches what the engine published.
/// </summary>
public sealed class DurableCatalogueTests
{
    public static TheoryData<string, string> Cases => new()
    {
        { "multi_event_flow", """{"delaysMs":{"a":30,"b":0,"c":10}}""" },
        { "document_analysis", """{"documents":[{"id":"a","content":"one two three"},{"id":"b","content":"four five"}],"delayMs":1}""" },
        { "parallel_accumulator", """{"items":["x","y","z","w"],"delayMs":1}""" },
        { "web_scraper", """{"urls":["https://a.example","https://fail.example"],"delayMs":1}""" },
        { "parallel_notify", """{"delaysMs":{"email":5,"slack":1,"sms":3}}""" },
        { "order_with_notifications", """{"order_id":"o-1","delayMs":1}""" },
        { "data_fetch", """{"delaysMs":{"api1":3,"api2":1,"api3":2}}""" },
        { "resilient_fetch", """{"failing":["api2"],"delayMs":1}""" },
        { "throttled_notify", """{"delayMs":1}""" },
        { "expense_approval", """{"amount":250,"employee":"ann"}""" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task CatalogueEntry_OnSqlite_EndsAsInMemory(string workflow, string input)
    {
        var inMemory = await RunAsync(workflow, input, store: null);
        var file = Path.Combine(Path.GetTempPath(), $"workflows-catalogue-{Guid.NewGuid():N}.db");
        try
        {
            await using var services = SqliteServices(file);
            var store = services.GetRequiredService<IRunStore>();
            var durable = await RunAsync(workflow, input, store);

            Assert.Equal(RunStatus.Completed, inMemory.Outcome.Status);
            Assert.Equal(inMemory.Outcome.Status, durable.Outcome.Status);
            Assert.Equal(Normalise(inMemory.Outcome.Result), Normalise(durable.Outcome.Result));
            var stored = new List<StoredItem>();
            await foreach (var item in store.ReadItemsAsync(durable.RunId, 0, CancellationToken.None))
            {
                stored.Add(item);
            }
            Assert.Equal(durable.Published, stored.Select(i => (i.Sequence, i.Type)));
            Assert.Equal(RunStatus.Completed, (await store.GetRunAsync(durable.RunId, CancellationToken.None))!.Run.Status);
        }
        finally
        {
            SqliteCleanup(file);
        }
    }

    private static async Task<(string RunId, RunOutcome Outcome, IReadOnlyList<(long, string)> Published)> RunAsync(string workflow, string input, IRunStore? store)
    {
        var registry = new WorkflowRegistry(BuiltInDefinitions.EventDriven(), BuiltInDefinitions.Graph());
        await using var engine = new LocalExecutionEngine(registry, store: store);
        await engine.InitializeAsync();
        var run = await engine.StartWorkflowAsync(workflow, JsonNode.Parse(input)!.AsObject());
        var outcome = await run.Outcome.WaitAsync(TimeSpan.FromSeconds(20));
        return (run.RunId, outcome, run.Items.Snapshot().Select(i => (i.Sequence, i.Type)).ToArray());
    }

    /// <summary>Results compared as JSON with sorted keys (branches write in any order), without recorded timestamps.</summary>
    private static string Normalise(object? result) =>
        Canonical(result as JsonNode ?? JsonSerializer.SerializeToNode(result, WorkflowJson.Options))?.ToJsonString() ?? "null";

    private static JsonNode? Canonical(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj
            .Where(p => !p.Key.EndsWith("timestamp", StringComparison.OrdinalIgnoreCase) && !p.Key.EndsWith("_at", StringComparison.Ordinal))
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, Canonical(p.Value)))),
        JsonArray array => new JsonArray(array.Select(Canonical).ToArray()),
        _ => node?.DeepClone(),
    };

    private static ServiceProvider SqliteServices(string file)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddWorkflowPersistence(options =>
        {
            options.Provider = PersistenceOptions.Sqlite;
            options.ConnectionString = $"Data Source={file}";
        });
        return services.BuildServiceProvider();
    }

    private static void SqliteCleanup(string file)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var path in new[] { file, file + "-wal", file + "-shm" })
        {
            File.Delete(path);
        }
    }
}
