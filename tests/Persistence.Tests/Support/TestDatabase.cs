using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Workflows.Persistence.EntityFramework;
using Workflows.Persistence.EntityFramework.Schema;
using Workflows.Persistence.EntityFramework.Stores;

namespace Workflows.Persistence.Tests.Support;

/// <summary>
/// An empty database of one provider, for one test: a SQLite file in its own temporary directory, or a PostgreSQL
/// schema of its own (the connection's search path) in the test server's database. Stores are built the way the
/// server builds them (<see cref="PersistenceServiceCollectionExtensions.AddWorkflowPersistence"/>).
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string? _directory;
    private readonly string? _schema;
    private readonly List<ServiceProvider> _providers = [];
    private ServiceProvider? _inspection;

    private TestDatabase(StoreKind kind, string connectionString, string? directory, string? schema)
    {
        Kind = kind;
        ConnectionString = connectionString;
        _directory = directory;
        _schema = schema;
    }

    public StoreKind Kind { get; }

    public string ConnectionString { get; }

    public string Provider => Kind == StoreKind.Sqlite ? PersistenceOptions.Sqlite : PersistenceOptions.Postgres;

    public static async Task<TestDatabase> CreateAsync(StoreKind kind)
    {
        if (kind == StoreKind.Sqlite)
        {
            var directory = Path.Combine(Path.GetTempPath(), "workflows-persistence-tests", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(directory);
            return new TestDatabase(kind, $"Data Source={Path.Combine(directory, "workflows.db")}", directory, null);
        }
        var server = PostgresServer.ConnectionString
            ?? throw new InvalidOperationException(PostgresServer.SkipReason);
        var schema = "t_" + Guid.NewGuid().ToString("N");
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE SCHEMA {schema}", admin);
            await create.ExecuteNonQueryAsync();
        }
        var builder = new NpgsqlConnectionStringBuilder(server) { SearchPath = schema };
        return new TestDatabase(kind, builder.ConnectionString, null, schema);
    }

    /// <summary>A new store over this database (a new container, as a new process would have).</summary>
    public IRunStore CreateStore(string sqliteSynchronous = "normal") => Services(sqliteSynchronous).GetRequiredService<IRunStore>();

    /// <summary>A new store and its schema, current.</summary>
    public async Task<IRunStore> CreateInitializedStoreAsync()
    {
        var store = CreateStore();
        await store.InitializeAsync([], CancellationToken.None);
        return store;
    }

    /// <summary>A store that knows only <paramref name="scripts"/>: an older or newer build than this one.</summary>
    internal IRunStore CreateStore(IReadOnlyList<SchemaScript> scripts)
    {
        var services = Services("normal");
        return new EfRunStore(services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>(), services.GetRequiredService<StoreDialect>(),
            scripts, TimeProvider.System, NullLogger.Instance);
    }

    /// <summary>The embedded scripts of this provider.</summary>
    internal IReadOnlyList<SchemaScript> Scripts => SchemaScripts.Embedded(Kind == StoreKind.Sqlite ? "Sqlite" : "Postgres");

    /// <summary>A context for looking at what the store wrote.</summary>
    public WorkflowDbContext CreateContext()
    {
        _inspection ??= Services("normal");
        return _inspection.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContext();
    }

    /// <summary>Runs <paramref name="sql"/> and returns every row's columns.</summary>
    public async Task<List<object?[]>> QueryAsync(string sql)
    {
        await using var db = CreateContext();
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        var rows = new List<object?[]>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }
            rows.Add(row);
        }
        return rows;
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var db = CreateContext();
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    public async Task<bool> TableExistsAsync(string table)
    {
        var sql = Kind == StoreKind.Sqlite
            ? $"SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '{table}'"
            : $"SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = '{table}'";
        var rows = await QueryAsync(sql);
        return Convert.ToInt64(rows[0][0]) > 0;
    }

    /// <summary>The versions in <c>schema_version</c>; none when even that table is missing.</summary>
    public async Task<int[]> AppliedVersionsAsync() => await TableExistsAsync("schema_version")
        ? (await QueryAsync("SELECT version FROM schema_version ORDER BY version")).Select(r => Convert.ToInt32(r[0])).ToArray()
        : [];

    private ServiceProvider Services(string sqliteSynchronous)
    {
        var services = new ServiceCollection();
        services.AddWorkflowPersistence(options =>
        {
            options.Provider = Provider;
            options.ConnectionString = ConnectionString;
            options.SqliteSynchronous = sqliteSynchronous;
        });
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        lock (_providers)
        {
            _providers.Add(provider);
        }
        return provider;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }
        if (_directory is not null)
        {
            SqliteConnection.ClearPool(new SqliteConnection(ConnectionString));
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
                // A file still open by a pooled connection elsewhere: the temporary directory is left behind.
            }
        }
        if (_schema is not null)
        {
            NpgsqlConnection.ClearPool(new NpgsqlConnection(ConnectionString));
            await using var admin = new NpgsqlConnection(PostgresServer.ConnectionString);
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {_schema} CASCADE", admin);
            await drop.ExecuteNonQueryAsync();
        }
    }
}
