using Workflows.Persistence.Tests.Support;

namespace Workflows.Persistence.Tests;

/// <summary>What a restart resumes: non-terminal runs, oldest first, each with its state and tasks.</summary>
public sealed class LoadUnfinishedTests
{
    [Theory, SqliteStore, PostgresStore]
    public async Task LoadUnfinished_ReturnsOnlyNonTerminalRunsOldestFirst_WithStateAndTasks(StoreKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var store = await database.CreateInitializedStoreAsync();
        // Created in an order unlike their ids' and unlike the commit order.
        (string Id, RunStatus Status, int Minute)[] runs =
        [
            ("r-a", RunStatus.Completed, 1), ("r-b", RunStatus.Waiting, 5), ("r-c", RunStatus.Failed, 2),
            ("r-d", RunStatus.Running, 3), ("r-e", RunStatus.Canceled, 4), ("r-f", RunStatus.Pending, 0),
            ("r-g", RunStatus.TimedOut, 6), ("r-h", RunStatus.Running, 3),
        ];
        await store.CommitAsync(runs.Select(r => Sample.Start(r.Id, status: r.Status, createdAt: Sample.T0.AddMinutes(r.Minute)) with
        {
            StateJson = $$"""{"run":"{{r.Id}}"}""",
            Tasks =
            [
                Sample.Task($"{r.Id}-t2", r.Id, HumanTaskStatus.Completed, Sample.T0.AddMinutes(r.Minute + 1)),
                Sample.Task($"{r.Id}-t1", r.Id, HumanTaskStatus.Pending, Sample.T0.AddMinutes(r.Minute)),
            ],
        }).ToArray(), CancellationToken.None);
        // One unfinished run without a state and without tasks.
        await store.CommitAsync([new RunCommit("r-i") { Run = Sample.Run("r-i", RunStatus.Waiting, Sample.T0.AddMinutes(9)) }], CancellationToken.None);

        var unfinished = await store.LoadUnfinishedAsync(CancellationToken.None);

        Assert.Equal(["r-f", "r-d", "r-h", "r-b", "r-i"], unfinished.Select(r => r.Run.Id));
        foreach (var stored in unfinished.Where(r => r.Run.Id != "r-i"))
        {
            Assert.Equal($$"""{"run":"{{stored.Run.Id}}"}""", stored.StateJson);
            Assert.Equal([$"{stored.Run.Id}-t1", $"{stored.Run.Id}-t2"], stored.Tasks.Select(t => t.Id));
        }
        var bare = unfinished[^1];
        Assert.Null(bare.StateJson);
        Assert.Empty(bare.Tasks);
    }

    [Theory, SqliteStore, PostgresStore]
    public async Task LoadUnfinished_NothingStored_IsEmpty(StoreKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var store = await database.CreateInitializedStoreAsync();

        Assert.Empty(await store.LoadUnfinishedAsync(CancellationToken.None));
    }
}
