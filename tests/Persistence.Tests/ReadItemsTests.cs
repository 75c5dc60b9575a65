using Workflows.Persistence.EntityFramework.Stores;
using Workflows.Persistence.Tests.Support;

namespace Workflows.Persistence.Tests;

/// <summary>The item stream from the store: after a cursor, in sequence order, across pages.</summary>
public sealed class ReadItemsTests
{
    [Theory, SqliteStore, PostgresStore]
    public async Task ReadItems_AfterCursor_ReturnsTheLaterItemsInOrder(StoreKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var store = await database.CreateInitializedStoreAsync();
        var runId = Sample.Id("run");
        var other = Sample.Id("other");
        await store.CommitAsync([Sample.Start(runId, items: 10), Sample.Start(other, items: 12)], CancellationToken.None);

        Assert.Equal(Sample.Items(runId, 5, 10), await store.ReadItemsAsync(runId, 4, CancellationToken.None).ToListAsync());
        Assert.Equal(Sample.Items(runId, 1, 10), await store.ReadItemsAsync(runId, 0, CancellationToken.None).ToListAsync());
        Assert.Empty(await store.ReadItemsAsync(runId, 10, CancellationToken.None).ToListAsync());
        Assert.Empty(await store.ReadItemsAsync("no-such-run", 0, CancellationToken.None).ToListAsync());
    }

    [Theory, SqliteStore, PostgresStore]
    public async Task ReadItems_MoreThanAPage_StreamsEveryItemInOrder(StoreKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var store = await database.CreateInitializedStoreAsync();
        var runId = Sample.Id("run");
        var other = Sample.Id("other");
        var total = (2 * EfRunStore.ItemPageSize) + 37;
        await store.CommitAsync([Sample.Start(runId, items: 0), Sample.Start(other, items: 0)], CancellationToken.None);
        // Commits of two runs interleaved, so the rows are not stored in one run's order.
        for (var from = 1; from <= total; from += 100)
        {
            var to = Math.Min(total, from + 99);
            await store.CommitAsync(
            [
                new RunCommit(other) { Items = Sample.Items(other, from, to) },
                new RunCommit(runId) { Items = Sample.Items(runId, from, to).Reverse().ToArray() },
            ], CancellationToken.None);
        }

        var all = await store.ReadItemsAsync(runId, 0, CancellationToken.None).ToListAsync();
        var afterFirstPage = await store.ReadItemsAsync(runId, EfRunStore.ItemPageSize, CancellationToken.None).ToListAsync();

        Assert.Equal(Enumerable.Range(1, total).Select(i => (long)i), all.Select(i => i.Sequence));
        Assert.All(all, item => Assert.Equal(runId, item.RunId));
        Assert.Equal(Enumerable.Range(EfRunStore.ItemPageSize + 1, total - EfRunStore.ItemPageSize).Select(i => (long)i), afterFirstPage.Select(i => i.Sequence));
    }

    [Theory, SqliteStore, PostgresStore]
    public async Task ReadItems_ExactlyAPage_EndsWithoutAnEmptyError(StoreKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var store = await database.CreateInitializedStoreAsync();
        var runId = Sample.Id("run");
        await store.CommitAsync([Sample.Start(runId, items: EfRunStore.ItemPageSize)], CancellationToken.None);

        Assert.Equal(EfRunStore.ItemPageSize, await store.ReadItemsAsync(runId, 0, CancellationToken.None).CountAsync());
    }
}
