using Workflows.Persistence.Tests.Support;

namespace Workflows.Persistence.Tests;

/// <summary>A batch is one transaction: all of it or none of it, later commits of a run winning.</summary>
public sealed class CommitBatchTests
{
    [Theory, SqliteStore, PostgresStore]
    public async Task Batch_WithDuplicateItem_ThrowsAndNothingOfItIsVisible(StoreKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var store = await database.CreateInitializedStoreAsync();
        var existing = Sample.Id("existing");
        await store.CommitAsync([Sample.Start(existing, items: 2)], CancellationToken.None);
        var before = await store.GetRunAsync(existing, CancellationToken.None);
        var fresh = Sample.Id("fresh");

        var error = await Record.ExceptionAsync(() => store.CommitAsync(
        [
            Sample.Start(fresh, items: 3) with { Tasks = [Sample.Task(Sample.Id("task"), fresh)] },
            new RunCommit(existing) { Run = before!.Run with { Status = RunStatus.Completed, LastSequence = 3 }, Items = [Sample.Item(existing, 3)], StateJson = "{}" },
            new RunCommit(existing) { Items = [Sample.Item(existing, 3)] },
        ], CancellationToken.None));

        Assert.NotNull(error);
        Assert.Null(await store.GetRunAsync(fresh, CancellationToken.None));
        Assert.Empty(await store.ReadItemsAsync(fresh, 0, CancellationToken.None).ToListAsync());
        var after = await store.GetRunAsync(existing, CancellationToken.None);
        Assert.Equal(before!.Run, after!.Run);
        Assert.Equal(before.StateJson, after.StateJson);
        Assert.Equal([1L, 2L], (await store.ReadItemsAsync(existing, 0, CancellationToken.None).ToListAsync()).Select(i => i.Sequence));
    }

    [Theory, SqliteStore, PostgresStore]
    public async Task Commit_ItemAlreadyStored_Throws(StoreKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var store = await database.CreateInitializedStoreAsync();
        var runId = Sample.Id("run");
        await store.CommitAsync([Sample.Start(runId, items: 2)], CancellationToken.None);

        var error = await Record.ExceptionAsync(() => store.CommitAsync(
            [new RunCommit(runId) { Items = [Sample.Item(runId, 3), Sample.Item(runId, 2, """{"changed":true}""")] }], CancellationToken.None));

        Assert.NotNull(error);
        Assert.Equal(Sample.Items(runId, 1, 2), await store.ReadItemsAsync(runId, 0, CancellationToken.None).ToListAsync());
    }

    [Theory, SqliteStore, PostgresStore]
    public async Task Batch_SameRunSeveralTimes_LaterRowsWin_AndEveryItemIsKept(StoreKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var store = await database.CreateInitializedStoreAsync();
        var runId = Sample.Id("run");
        var task = Sample.Task(Sample.Id("task"), runId);
        var run = Sample.Run(runId, RunStatus.Running, lastSequence: 2);

        await store.CommitAsync(
        [
            new RunCommit(runId) { Run = run, Items = Sample.Items(runId, 1, 2), StateJson = """{"pass":1}""", Tasks = [task] },
            new RunCommit(runId) { Run = run with { Status = RunStatus.Waiting, LastSequence = 3 }, Items = [Sample.Item(runId, 3)], StateJson = """{"pass":2}""" },
            new RunCommit(runId)
            {
                Run = run with { Status = RunStatus.Completed, LastSequence = 4, ResultJson = "true", EndedAt = Sample.T0.AddMinutes(1) },
                Items = [Sample.Item(runId, 4)],
                Tasks = [task with { Status = HumanTaskStatus.Completed, CompletedBy = "alice", CompletedAt = Sample.T0.AddMinutes(1) }],
            },
        ], CancellationToken.None);
        var stored = await store.GetRunAsync(runId, CancellationToken.None);

        Assert.Equal(run with { Status = RunStatus.Completed, LastSequence = 4, ResultJson = "true", EndedAt = Sample.T0.AddMinutes(1) }, stored!.Run);
        Assert.Equal("""{"pass":2}""", stored.StateJson);
        var storedTask = Assert.Single(stored.Tasks);
        Assert.Equal(HumanTaskStatus.Completed, storedTask.Status);
        Assert.Equal("alice", storedTask.CompletedBy);
        Assert.Equal(Sample.Items(runId, 1, 4), await store.ReadItemsAsync(runId, 0, CancellationToken.None).ToListAsync());
    }

    [Theory, SqliteStore, PostgresStore]
    public async Task Batch_ManyRuns_AllCommitTogether(StoreKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var store = await database.CreateInitializedStoreAsync();
        var runs = Enumerable.Range(0, 50).Select(_ => Sample.Id("run")).ToArray();

        await store.CommitAsync(runs.Select(id => Sample.Start(id, items: 5)).ToArray(), CancellationToken.None);

        foreach (var id in runs)
        {
            Assert.NotNull(await store.GetRunAsync(id, CancellationToken.None));
            Assert.Equal(5, await store.ReadItemsAsync(id, 0, CancellationToken.None).CountAsync());
        }
    }

    [Theory, SqliteStore, PostgresStore]
    public async Task Commit_ItemsOfARunWithoutRow_IsRefusedByTheForeignKey(StoreKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var store = await database.CreateInitializedStoreAsync();
        var runId = Sample.Id("run");

        var error = await Record.ExceptionAsync(() => store.CommitAsync([new RunCommit(runId) { Items = [Sample.Item(runId, 1)] }], CancellationToken.None));

        Assert.NotNull(error);
        Assert.Empty(await store.ReadItemsAsync(runId, 0, CancellationToken.None).ToListAsync());
    }

    [Theory, SqliteStore, PostgresStore]
    public async Task Commit_DuplicateCorrelationId_FailsTheBatch(StoreKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var store = await database.CreateInitializedStoreAsync();
        var first = Sample.Id("run");
        var second = Sample.Id("run");
        await store.CommitAsync([new RunCommit(first) { Run = Sample.Run(first) with { CorrelationId = "order-7" } }], CancellationToken.None);

        var error = await Record.ExceptionAsync(() => store.CommitAsync(
            [new RunCommit(second) { Run = Sample.Run(second) with { CorrelationId = "order-7" } }], CancellationToken.None));
        await store.CommitAsync([new RunCommit(second) { Run = Sample.Run(second) }], CancellationToken.None);

        Assert.NotNull(error);
        Assert.Null((await store.GetRunAsync(second, CancellationToken.None))!.Run.CorrelationId);
    }

    [Fact]
    public async Task Commit_RowsOfAnotherRun_AreRefusedBeforeWriting()
    {
        await using var database = await TestDatabase.CreateAsync(StoreKind.Sqlite);
        var store = await database.CreateInitializedStoreAsync();
        var runId = Sample.Id("run");

        var wrongRow = await Assert.ThrowsAsync<ArgumentException>(() => store.CommitAsync(
            [new RunCommit(runId) { Run = Sample.Run("other") }], CancellationToken.None));
        var wrongItem = await Assert.ThrowsAsync<ArgumentException>(() => store.CommitAsync(
            [Sample.Start(runId) with { Items = [Sample.Item("other", 1)] }], CancellationToken.None));
        var wrongTask = await Assert.ThrowsAsync<ArgumentException>(() => store.CommitAsync(
            [Sample.Start(runId) with { Tasks = [Sample.Task("t", "other")] }], CancellationToken.None));

        Assert.Contains("'other'", wrongRow.Message);
        Assert.Contains("item 1 of run 'other'", wrongItem.Message);
        Assert.Contains("task 't' of run 'other'", wrongTask.Message);
        Assert.Null(await store.GetRunAsync(runId, CancellationToken.None));
    }

    [Fact]
    public async Task Commit_EmptyBatch_DoesNothing()
    {
        await using var database = await TestDatabase.CreateAsync(StoreKind.Sqlite);
        var store = database.CreateStore();

        await store.CommitAsync([], CancellationToken.None);   // not even the schema is needed
    }
}
