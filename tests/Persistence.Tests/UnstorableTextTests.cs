using Workflows.Persistence.Tests.Support;

namespace Workflows.Persistence.Tests;

/// <summary>
/// Why the engine refuses U+0000 in text that goes to plain text columns (<see cref="StorableText"/>): PostgreSQL
/// refuses the whole batch, and the engine retries a refused batch. In JSON columns the serialiser's escape
/// (<c>\u0000</c>) is plain ASCII and stored like any other text.
/// </summary>
public sealed class UnstorableTextTests
{
    [Theory, PostgresStore]
    public async Task PlainTextColumn_WithNul_RefusesTheWholeBatch(StoreKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var store = await database.CreateInitializedStoreAsync();
        var runId = Sample.Id("run");
        var task = Sample.Task(Sample.Id("task"), runId) with { Title = "Approve \0 the order" };

        var error = await Record.ExceptionAsync(() => store.CommitAsync([Sample.Start(runId, items: 1) with { Tasks = [task] }], CancellationToken.None));

        Assert.NotNull(error);
        Assert.Null(await store.GetRunAsync(runId, CancellationToken.None));
    }

    [Theory, SqliteStore, PostgresStore]
    public async Task JsonColumns_WithAnEscapedNul_AreStoredAsTheyAre(StoreKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var store = await database.CreateInitializedStoreAsync();
        var runId = Sample.Id("run");
        const string state = """{"store":{"note":"a \u0000 b"}}""";

        await store.CommitAsync([Sample.Start(runId, items: 1) with { StateJson = state }], CancellationToken.None);

        Assert.Equal(state, (await store.GetRunAsync(runId, CancellationToken.None))!.StateJson);
    }
}
