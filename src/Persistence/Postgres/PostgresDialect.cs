using System.Data;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Workflows.Persistence.EntityFramework.Stores;

namespace Workflows.Persistence.EntityFramework.Postgres;

/// <summary>PostgreSQL through Npgsql: timestamps as <c>timestamptz</c> (UTC only), migrations under an advisory lock.</summary>
internal sealed class PostgresDialect(string connectionString) : StoreDialect
{
    /// <summary>The advisory lock key of schema migrations (any constant other code does not use).</summary>
    private const long MigrationLockKey = 0x5746_5F53_4348_454D; // "WF_SCHEM"

    public override string Provider => PersistenceOptions.Postgres;

    public override string ScriptFolder => "Postgres";

    public override DbType TimestampDbType => DbType.DateTimeOffset;

    public override string SchemaVersionTableSql => """
        CREATE TABLE IF NOT EXISTS schema_version (
            version     integer     NOT NULL,
            name        text        NOT NULL,
            applied_at  timestamptz NOT NULL,
            CONSTRAINT pk_schema_version PRIMARY KEY (version)
        )
        """;

    public override void Configure(DbContextOptionsBuilder builder) => builder.UseNpgsql(connectionString);

    // Npgsql writes timestamptz from UTC values only.
    public override object Timestamp(DateTimeOffset value) => StoreTime.Truncate(value);

    public override async ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);

    public override async ValueTask<DbTransaction> BeginReadAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);

    public override Task InsertItemsAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<RunCommit> batch, CancellationToken cancellationToken) =>
        PostgresItemWriter.InsertAsync(connection, transaction, batch, cancellationToken);

    public override async Task LockForMigrationAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT pg_advisory_xact_lock({MigrationLockKey})";
        await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }
}
