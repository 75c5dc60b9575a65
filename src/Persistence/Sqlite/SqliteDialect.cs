using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Workflows.Persistence.EntityFramework.Stores;

namespace Workflows.Persistence.EntityFramework.Sqlite;

/// <summary>SQLite: WAL, per-connection pragmas (<see cref="SqliteConnectionSetup"/>), timestamps as integers.</summary>
internal sealed class SqliteDialect(string connectionString, string synchronous) : StoreDialect
{
    public override string Provider => PersistenceOptions.Sqlite;

    public override string ScriptFolder => "Sqlite";

    public override DbType TimestampDbType => DbType.Int64;

    /// <summary>The <c>synchronous</c> pragma value every connection gets (<c>NORMAL</c> or <c>FULL</c>).</summary>
    public string Synchronous => synchronous;

    public override string SchemaVersionTableSql => """
        CREATE TABLE IF NOT EXISTS schema_version (
            version     INTEGER NOT NULL,
            name        TEXT    NOT NULL,
            applied_at  INTEGER NOT NULL,
            CONSTRAINT pk_schema_version PRIMARY KEY (version)
        )
        """;

    public override void Configure(DbContextOptionsBuilder builder) =>
        builder.UseSqlite(connectionString).AddInterceptors(new SqliteConnectionSetup(synchronous));

    public override object Timestamp(DateTimeOffset value) => StoreTime.ToUnixMicroseconds(value);

    // BEGIN IMMEDIATE: take the write lock before the first read, so a writer never has to upgrade (SQLITE_BUSY).
    public override ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
        ValueTask.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false));

    // BEGIN DEFERRED: in WAL mode the snapshot starts at the first read and never blocks the writer.
    public override ValueTask<DbTransaction> BeginReadAsync(DbConnection connection, CancellationToken cancellationToken) =>
        ValueTask.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: true));

    // SQLite creates the file but not its directory (a fresh volume: Data Source=/data/workflows.db).
    public override void PrepareStorage()
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        var dataSource = builder.DataSource;
        if (builder.Mode == SqliteOpenMode.Memory || dataSource is "" or ":memory:" || dataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }
        var directory = Path.GetDirectoryName(Path.GetFullPath(dataSource));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
    }

    // Microsoft.Data.Sqlite pools connections; returning one can fail while a statement on it is still active ("unable
    // to delete/modify collation sequence due to active statements", dotnet/efcore#36591), and such a connection can come
    // back later with a transaction still open. Clearing the pool closes it instead of reusing it.
    public override void Discard(DbConnection connection) => SqliteConnection.ClearPool((SqliteConnection)connection);

    public override async Task PrepareForMigrationAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = WAL";
        await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }
}
