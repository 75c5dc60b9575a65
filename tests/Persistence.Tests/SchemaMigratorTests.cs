using Workflows.Persistence.EntityFramework.Schema;
using Workflows.Persistence.Tests.Support;

namespace Workflows.Persistence.Tests;

/// <summary>
/// Versioned scripts: a fresh database and an older one both reach the newest version on InitializeAsync, in one
/// transaction. Upgrades are exercised with a second script written here (this build ships one version).
/// </summary>
public sealed class SchemaMigratorTests
{
    /// <summary>A second version in the shape a real one would have: a column and an index.</summary>
    private static readonly SchemaScript s_addNote = new(2, "002_run_notes", """
        ALTER TABLE runs ADD COLUMN note TEXT NULL;
        CREATE INDEX ix_runs_note ON runs (note);
        """);

    [Theory, SqliteStore, PostgresStore]
    public async Task Initialize_FreshDatabase_ReachesTheCurrentVersion(StoreKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);

        await database.CreateStore().InitializeAsync([], CancellationToken.None);

        Assert.Equal(database.Scripts.Select(s => s.Version), await database.AppliedVersionsAsync());
        var names = await database.QueryAsync("SELECT name FROM schema_version ORDER BY version");
        Assert.Equal(database.Scripts.Select(s => s.Name), names.Select(r => (string)r[0]!));
        foreach (var table in new[] { "runs", "run_items", "run_states", "tasks", "definitions" })
        {
            Assert.True(await database.TableExistsAsync(table), table);
        }
    }

    [Theory, SqliteStore, PostgresStore]
    public async Task Initialize_AgainAndAgain_ChangesNothing(StoreKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var store = await database.CreateInitializedStoreAsync();
        var runId = Sample.Id("run");
        await store.CommitAsync([Sample.Start(runId)], CancellationToken.None);

        await store.InitializeAsync([], CancellationToken.None);
        await database.CreateStore().InitializeAsync([], CancellationToken.None);

        Assert.Equal(database.Scripts.Select(s => s.Version), await database.AppliedVersionsAsync());
        Assert.NotNull(await store.GetRunAsync(runId, CancellationToken.None));
    }

    [Theory, SqliteStore, PostgresStore]
    public async Task Initialize_OlderSchema_AppliesTheNewerScriptsAndKeepsTheRows(StoreKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var older = database.CreateStore(database.Scripts);             // the build that knew version 1 only
        await older.InitializeAsync([], CancellationToken.None);
        var runId = Sample.Id("run");
        await older.CommitAsync([Sample.Start(runId, items: 3) with { Tasks = [Sample.Task(Sample.Id("task"), runId)] }], CancellationToken.None);

        var newer = database.CreateStore([.. database.Scripts, s_addNote]);
        await newer.InitializeAsync([], CancellationToken.None);

        Assert.Equal(new[] { 1, 2 }, await database.AppliedVersionsAsync());
        var stored = await newer.GetRunAsync(runId, CancellationToken.None);
        Assert.Equal(Sample.Start(runId, items: 3).Run, stored!.Run);
        Assert.Single(stored.Tasks);
        Assert.Equal(3, await newer.ReadItemsAsync(runId, 0, CancellationToken.None).CountAsync());
        await database.ExecuteAsync($"UPDATE runs SET note = 'migrated' WHERE id = '{runId}'");   // the new column is there
        await newer.CommitAsync([new RunCommit(runId) { Run = stored.Run with { LastSequence = 4 }, Items = [Sample.Item(runId, 4)] }], CancellationToken.None);
        Assert.Equal("migrated", (await database.QueryAsync($"SELECT note FROM runs WHERE id = '{runId}'"))[0][0]);
    }

    [Theory, SqliteStore, PostgresStore]
    public async Task Initialize_ScriptFails_NothingOfTheUpgradeRemains(StoreKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await database.CreateStore(database.Scripts).InitializeAsync([], CancellationToken.None);
        var broken = new SchemaScript(3, "003_broken", """
            CREATE TABLE half_done (x INTEGER);
            INSERT INTO no_such_table VALUES (1);
            """);

        var error = await Record.ExceptionAsync(() =>
            database.CreateStore([.. database.Scripts, s_addNote, broken]).InitializeAsync([], CancellationToken.None));

        Assert.NotNull(error);
        Assert.Equal(new[] { 1 }, await database.AppliedVersionsAsync());
        Assert.False(await database.TableExistsAsync("half_done"));
        // 002 ran in the same transaction: its column is gone too.
        Assert.Null(await Record.ExceptionAsync(() => database.ExecuteAsync("CREATE INDEX ix_runs_note ON runs (workflow)")));
    }

    [Theory, SqliteStore, PostgresStore]
    public async Task Initialize_ScriptFailsOnAFreshDatabase_LeavesItEmpty(StoreKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var broken = new SchemaScript(2, "002_broken", "INSERT INTO no_such_table VALUES (1);");

        var error = await Record.ExceptionAsync(() =>
            database.CreateStore([.. database.Scripts, broken]).InitializeAsync([], CancellationToken.None));

        Assert.NotNull(error);
        Assert.False(await database.TableExistsAsync("runs"));
        Assert.Empty(await database.AppliedVersionsAsync());
    }

    [Theory, SqliteStore, PostgresStore]
    public async Task Initialize_DatabaseNewerThanTheBuild_RefusesClearly(StoreKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await database.CreateStore([.. database.Scripts, s_addNote]).InitializeAsync([], CancellationToken.None);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            database.CreateStore(database.Scripts).InitializeAsync([], CancellationToken.None));

        Assert.Contains("schema is at version 2, newer than this build knows (1)", error.Message);
    }

    [Theory, SqliteStore, PostgresStore]
    public async Task Initialize_SeveralProcessesAtOnce_MigrateOnce(StoreKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var stores = Enumerable.Range(0, 4).Select(_ => database.CreateStore()).ToArray();

        await Task.WhenAll(stores.Select(s => Task.Run(() => s.InitializeAsync([], CancellationToken.None))));

        Assert.Equal(database.Scripts.Select(s => s.Version), await database.AppliedVersionsAsync());
    }

    [Fact]
    public void EmbeddedScripts_BothProviders_HaveTheSameVersions()
    {
        var sqlite = SchemaScripts.Embedded("Sqlite");
        var postgres = SchemaScripts.Embedded("Postgres");

        Assert.NotEmpty(sqlite);
        Assert.Equal(sqlite.Select(s => s.Name), postgres.Select(s => s.Name));
        Assert.Equal(Enumerable.Range(1, sqlite.Count), sqlite.Select(s => s.Version));
    }

    [Fact]
    public void Scripts_WithAGapOrABadName_AreRefused()
    {
        var gap = Assert.Throws<InvalidOperationException>(() => SchemaScripts.Ordered([new(1, "001_a", ""), new(3, "003_c", "")]));
        var badName = Assert.Throws<InvalidOperationException>(() => SchemaScripts.Parse("initial.sql", ""));

        Assert.Contains("001_a, 003_c", gap.Message);
        Assert.Contains("NNN_name.sql", badName.Message);
    }
}
