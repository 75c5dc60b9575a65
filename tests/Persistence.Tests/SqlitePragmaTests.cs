using Microsoft.EntityFrameworkCore;
using Workflows.Persistence.EntityFramework;
using Workflows.Persistence.Tests.Support;

namespace Workflows.Persistence.Tests;

/// <summary>SQLite runs in WAL mode with the configured sync level, a busy timeout and foreign keys.</summary>
public sealed class SqlitePragmaTests
{
    [Theory]
    [InlineData("normal", 1L)]
    [InlineData("full", 2L)]
    public async Task Connections_HaveTheConfiguredPragmas(string synchronous, long expected)
    {
        await using var database = await TestDatabase.CreateAsync(StoreKind.Sqlite);
        var store = database.CreateStore(synchronous);
        await store.InitializeAsync([], CancellationToken.None);
        await store.CommitAsync([Sample.Start("r")], CancellationToken.None);   // the store's own connection from the pool

        var (journal, sync, busy, foreignKeys) = await PragmasAsync(database, synchronous);

        Assert.Equal("wal", journal);
        Assert.Equal(expected, sync);
        Assert.Equal(SqliteConnectionSetupTimeout, busy);
        Assert.Equal(1L, foreignKeys);
    }

    private const long SqliteConnectionSetupTimeout = 5000;

    private static async Task<(string, long, long, long)> PragmasAsync(TestDatabase database, string synchronous)
    {
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection();
        services.AddWorkflowPersistence(o => { o.ConnectionString = database.ConnectionString; o.SqliteSynchronous = synchronous; });
        await using var provider = Microsoft.Extensions.DependencyInjection.ServiceCollectionContainerBuilderExtensions.BuildServiceProvider(services);
        var factory = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<IDbContextFactory<WorkflowDbContext>>(provider);
        await using var db = await factory.CreateDbContextAsync();
        await db.Database.OpenConnectionAsync();
        async Task<object> Pragma(string name)
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = $"PRAGMA {name}";
            return (await command.ExecuteScalarAsync())!;
        }
        return ((string)await Pragma("journal_mode"), (long)await Pragma("synchronous"), (long)await Pragma("busy_timeout"), (long)await Pragma("foreign_keys"));
    }
}
