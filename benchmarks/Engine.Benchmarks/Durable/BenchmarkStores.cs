using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Workflows.Persistence;
using Workflows.Persistence.EntityFramework;

namespace Workflows.Benchmarks.Durable;

/// <summary>
/// A run store for the benchmark, built the way the server builds it (<c>AddWorkflowPersistence</c>, then
/// <see cref="IRunStore"/> from the container): a SQLite file in a fresh temporary directory, or a fresh schema in
/// the PostgreSQL database named by <c>WORKFLOWS_TEST_POSTGRES</c>. Disposing deletes the file or drops the schema.
/// </summary>
internal sealed class BenchmarkStore : IAsyncDisposable
{
    public const string PostgresVariable = "WORKFLOWS_TEST_POSTGRES";

    private readonly ServiceProvider _services;
    private readonly string? _directory;
    private readonly string? _postgresServer;
    private readonly string? _schema;

    private BenchmarkStore(string provider, string where, ServiceProvider services, string? directory, string? postgresServer, string? schema)
    {
        Provider = provider;
        Where = where;
        _services = services;
        _directory = directory;
        _postgresServer = postgresServer;
        _schema = schema;
        Store = services.GetRequiredService<IRunStore>();
    }

    /// <summary><c>sqlite</c> or <c>postgres</c>.</summary>
    public string Provider { get; }

    /// <summary>The file or schema, for the notes.</summary>
    public string Where { get; }

    public IRunStore Store { get; }

    /// <summary>Bytes of the SQLite file and its WAL (null for PostgreSQL).</summary>
    public long? FileBytes => _directory is null ? null : new DirectoryInfo(_directory).EnumerateFiles().Sum(f => f.Length);

    public static BenchmarkStore Sqlite()
    {
        var directory = Path.Combine(Path.GetTempPath(), "workflows-benchmarks", $"durable-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        var file = Path.Combine(directory, "workflows.db");
        var services = new ServiceCollection()
            .AddWorkflowPersistence(o =>
            {
                o.Provider = PersistenceOptions.Sqlite;
                o.ConnectionString = $"Data Source={file}";
            })
            .BuildServiceProvider();
        return new BenchmarkStore(PersistenceOptions.Sqlite, file, services, directory, null, null);
    }

    /// <summary>A store in a fresh schema, or null with the reason when <c>WORKFLOWS_TEST_POSTGRES</c> is unset or unreachable.</summary>
    public static async Task<(BenchmarkStore? Store, string? SkipReason)> PostgresAsync()
    {
        var server = Environment.GetEnvironmentVariable(PostgresVariable);
        if (string.IsNullOrWhiteSpace(server))
        {
            return (null, $"{PostgresVariable} is not set (export {PostgresVariable}=\"$(bash scripts/postgres-test-server.sh)\")");
        }
        var schema = $"bench_{Guid.NewGuid():N}";
        try
        {
            await using var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Timeout = 5 }.ConnectionString);
            await admin.OpenAsync().ConfigureAwait(false);
            await using var create = new NpgsqlCommand($"CREATE SCHEMA {schema}", admin);
            await create.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
        catch (Exception error) when (error is NpgsqlException or InvalidOperationException or ArgumentException or TimeoutException)
        {
            return (null, $"cannot reach PostgreSQL with {PostgresVariable}: {error.GetType().Name}: {error.Message}");
        }
        var connectionString = new NpgsqlConnectionStringBuilder(server) { SearchPath = schema }.ConnectionString;
        var services = new ServiceCollection()
            .AddWorkflowPersistence(o =>
            {
                o.Provider = PersistenceOptions.Postgres;
                o.ConnectionString = connectionString;
            })
            .BuildServiceProvider();
        var host = new NpgsqlConnectionStringBuilder(server);
        return (new BenchmarkStore(PersistenceOptions.Postgres, $"schema {schema} of {host.Database} on {host.Host}:{host.Port}", services, null, server, schema), null);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync().ConfigureAwait(false);
        if (_directory is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
                // Left for the temporary directory's cleaner.
            }
        }
        if (_schema is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(_postgresServer);
            await admin.OpenAsync().ConfigureAwait(false);
            await using var drop = new NpgsqlCommand($"DROP SCHEMA {_schema} CASCADE", admin);
            await drop.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
    }
}
