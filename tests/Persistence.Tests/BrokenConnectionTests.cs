using Microsoft.Data.Sqlite;
using Workflows.Persistence.EntityFramework.Stores;
using Workflows.Persistence.Tests.Support;

namespace Workflows.Persistence.Tests;

/// <summary>
/// A read that the database refuses on a pooled connection (Microsoft.Data.Sqlite can hand one back broken) runs once
/// more on a fresh context; a second refusal is the caller's.
/// </summary>
public sealed class BrokenConnectionTests
{
    [Theory, SqliteStore]
    public async Task Read_RefusedOnce_RunsAgainOnAFreshContext(StoreKind kind)
    {
        // Arrange
        await using var database = await TestDatabase.CreateAsync(kind);
        var store = (EfRunStore)await database.CreateInitializedStoreAsync();
        var contexts = new List<object>();

        // Act: the first attempt fails as a broken pooled connection does.
        var answer = await store.ReadOnceMoreAsync((db, argument, _) =>
        {
            contexts.Add(db);
            return contexts.Count == 1
                ? throw new SqliteException("cannot start a transaction within a transaction", 1)
                : Task.FromResult(argument * 2);
        }, 21, CancellationToken.None);

        // Assert
        Assert.Equal(42, answer);
        Assert.Equal(2, contexts.Count);
    }

    [Theory, SqliteStore]
    public async Task Read_RefusedTwice_Throws(StoreKind kind)
    {
        // Arrange
        await using var database = await TestDatabase.CreateAsync(kind);
        var store = (EfRunStore)await database.CreateInitializedStoreAsync();
        var attempts = 0;

        // Act, Assert
        await Assert.ThrowsAsync<SqliteException>(() => store.ReadOnceMoreAsync<int, int>((_, _, _) =>
        {
            attempts++;
            throw new SqliteException("still broken", 1);
        }, 0, CancellationToken.None));
        Assert.Equal(2, attempts);
    }
}
