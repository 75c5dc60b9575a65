using System.Diagnostics;
using Workflows.Persistence.Tests.Support;
using Xunit.Abstractions;

namespace Workflows.Persistence.Tests;

/// <summary>
/// Raw commit throughput (a measurement, not a check; opt-in because it takes a while): batches of commits, one per
/// run, each with its run row, its items and a resume state, as the group committer hands them over. A busy engine
/// (100 commits × 65 items per batch) and a quiet one (one commit of 5 items per batch: the latency of a lone run).
/// Run: <c>WORKFLOWS_STORE_THROUGHPUT=1 dotnet test tests/Persistence.Tests --filter CommitThroughput --logger "console;verbosity=detailed"</c>.
/// </summary>
public sealed class CommitThroughputTests(ITestOutputHelper output)
{
    private const int WarmupBatches = 3;

    [MeasurementTheory]
    [InlineData(StoreKind.Sqlite, "normal", 100, 65, 30)]
    [InlineData(StoreKind.Sqlite, "full", 100, 65, 30)]
    [InlineData(StoreKind.Postgres, "-", 100, 65, 30)]
    [InlineData(StoreKind.Sqlite, "normal", 1, 5, 300)]
    [InlineData(StoreKind.Sqlite, "full", 1, 5, 300)]
    [InlineData(StoreKind.Postgres, "-", 1, 5, 300)]
    public async Task Commit_Batches_Throughput(StoreKind kind, string sqliteSynchronous, int runsPerBatch, int itemsPerCommit, int batches)
    {
        if (kind == StoreKind.Postgres && PostgresServer.SkipReason is { } reason)
        {
            output.WriteLine($"Not measured: {reason}");
            return;
        }
        await using var database = await TestDatabase.CreateAsync(kind);
        var store = database.CreateStore(sqliteSynchronous == "-" ? "normal" : sqliteSynchronous);
        await store.InitializeAsync([], CancellationToken.None);
        var runIds = Enumerable.Range(0, runsPerBatch).Select(i => $"run-{i:D3}-{Guid.NewGuid():N}").ToArray();
        var state = "{\"store\":{" + string.Join(",", Enumerable.Range(0, 40).Select(i => $"\"key{i}\":\"value {i} of the run's state\"")) + "},\"queued\":[]}";
        var latencies = new List<double>();
        var clock = new Stopwatch();

        for (var batch = 0; batch < WarmupBatches + batches; batch++)
        {
            var from = (batch * itemsPerCommit) + 1;
            var commits = runIds.Select(id => new RunCommit(id)
            {
                Run = Sample.Run(id, lastSequence: from + itemsPerCommit - 1),
                Items = Enumerable.Range(from, itemsPerCommit).Select(s => new StoredItem(id, s, "step.completed", Sample.T0.AddMilliseconds(s),
                    "{\"sequence\":" + s + ",\"type\":\"step.completed\",\"runId\":\"" + id + "\",\"data\":{\"step\":\"fetch_" + (s % 7) +
                    "\",\"worker\":" + (s % 4) + ",\"attempt\":1,\"durationMs\":12.5,\"output\":{\"ok\":true,\"count\":" + s + "}}}")).ToArray(),
                StateJson = state,
            }).ToArray();
            var started = Stopwatch.GetTimestamp();
            if (batch == WarmupBatches)
            {
                clock.Start();
            }
            await store.CommitAsync(commits, CancellationToken.None);
            if (batch >= WarmupBatches)
            {
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }
        clock.Stop();

        var seconds = clock.Elapsed.TotalSeconds;
        latencies.Sort();
        var line = $"{kind} (synchronous={sqliteSynchronous}): {batches} batches x {runsPerBatch} commits x {itemsPerCommit} items in {seconds:F2} s = " +
            $"{batches * runsPerBatch / seconds:N0} commits/s, {batches * runsPerBatch * itemsPerCommit / seconds:N0} items/s, {batches / seconds:F1} batches/s; " +
            $"batch latency p50 {latencies[latencies.Count / 2]:F2} ms, max {latencies[^1]:F1} ms";
        output.WriteLine(line);
        Console.WriteLine(line);
    }
}

/// <summary>A measurement, skipped unless <c>WORKFLOWS_STORE_THROUGHPUT</c> is set.</summary>
public sealed class MeasurementTheoryAttribute : TheoryAttribute
{
    public MeasurementTheoryAttribute()
    {
        if (Environment.GetEnvironmentVariable("WORKFLOWS_STORE_THROUGHPUT") is null)
        {
            Skip = "A measurement: set WORKFLOWS_STORE_THROUGHPUT=1 to run it.";
        }
    }
}
