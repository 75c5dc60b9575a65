using Workflows.Persistence.Tests.Support;

namespace Workflows.Persistence.Tests;

/// <summary>The run list: newest first, filtered (workflow, status, correlation id), paged by (created at, id).</summary>
public sealed class ListRunsTests
{
    [Theory, SqliteStore, PostgresStore]
    public async Task ListRuns_NewestFirst_PagedByCursorThroughEqualTimes(StoreKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var store = await database.CreateInitializedStoreAsync();
        // r-1 … r-7; r-3, r-4 and r-5 share one creation time, so the id breaks the tie.
        int[] minutes = [0, 1, 2, 2, 2, 3, 4];
        await store.CommitAsync(minutes.Select((m, i) => new RunCommit($"r-{i + 1}")
        {
            Run = Sample.Run($"r-{i + 1}", createdAt: Sample.T0.AddMinutes(m)),
        }).ToArray(), CancellationToken.None);

        var pages = new List<string[]>();
        RunCursor? cursor = null;
        do
        {
            var page = await store.ListRunsAsync(new RunListQuery { Limit = 3, After = cursor }, CancellationToken.None);
            pages.Add(page.Select(r => r.Id).ToArray());
            cursor = page.Count == 3 ? new RunCursor(page[^1].CreatedAt, page[^1].Id) : null;
        }
        while (cursor is not null);

        Assert.Equal(["r-7", "r-6", "r-5"], pages[0]);
        Assert.Equal(["r-4", "r-3", "r-2"], pages[1]);
        Assert.Equal(["r-1"], pages[2]);
    }

    [Theory, SqliteStore, PostgresStore]
    public async Task ListRuns_FiltersByWorkflowStatusAndCorrelationId(StoreKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var store = await database.CreateInitializedStoreAsync();
        await store.CommitAsync(
        [
            new RunCommit("a") { Run = Sample.Run("a", RunStatus.Completed, Sample.T0.AddMinutes(1), workflow: "order") },
            new RunCommit("b") { Run = Sample.Run("b", RunStatus.Running, Sample.T0.AddMinutes(2), workflow: "order") },
            new RunCommit("c") { Run = Sample.Run("c", RunStatus.Completed, Sample.T0.AddMinutes(3), workflow: "invoice") },
            new RunCommit("d") { Run = Sample.Run("d", RunStatus.Completed, Sample.T0.AddMinutes(4), workflow: "order") with { CorrelationId = "po-7" } },
        ], CancellationToken.None);

        var orders = await store.ListRunsAsync(new RunListQuery { Workflow = "order" }, CancellationToken.None);
        var completed = await store.ListRunsAsync(new RunListQuery { Status = RunStatus.Completed }, CancellationToken.None);
        var completedOrders = await store.ListRunsAsync(new RunListQuery { Workflow = "order", Status = RunStatus.Completed, Limit = 1 }, CancellationToken.None);
        var correlated = await store.ListRunsAsync(new RunListQuery { CorrelationId = "po-7" }, CancellationToken.None);
        var notCorrelated = await store.ListRunsAsync(new RunListQuery { CorrelationId = "po-8" }, CancellationToken.None);

        Assert.Equal(["d", "b", "a"], orders.Select(r => r.Id));
        Assert.Equal(["d", "c", "a"], completed.Select(r => r.Id));
        Assert.Equal(["d"], completedOrders.Select(r => r.Id));
        Assert.Equal(Sample.Run("d", RunStatus.Completed, Sample.T0.AddMinutes(4), workflow: "order") with { CorrelationId = "po-7" }, completedOrders[0]);
        Assert.Equal(["d"], correlated.Select(r => r.Id));
        Assert.Empty(notCorrelated);
    }
}
