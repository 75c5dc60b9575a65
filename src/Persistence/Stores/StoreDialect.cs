using System.Data;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Workflows.Persistence.EntityFramework.Postgres;
using Workflows.Persistence.EntityFramework.Sqlite;

namespace Workflows.Persistence.EntityFramework.Stores;

/// <summary>
/// What differs between the providers. The store's SQL is shared (both speak <c>INSERT … ON CONFLICT … DO UPDATE</c>
/// and <c>@name</c> parameters); the differences are how timestamps travel, how transactions begin, and the schema.
/// </summary>
internal abstract class StoreDialect
{
    /// <summary><see cref="PersistenceOptions.Sqlite"/> or <see cref="PersistenceOptions.Postgres"/>.</summary>
    public abstract string Provider { get; }

    /// <summary>The folder of this provider's scripts under Schema/.</summary>
    public abstract string ScriptFolder { get; }

    /// <summary>How a timestamp parameter is typed.</summary>
    public abstract DbType TimestampDbType { get; }

    /// <summary>Creates <c>schema_version</c> when missing (the migrator's first statement, before any script).</summary>
    public abstract string SchemaVersionTableSql { get; }

    /// <summary>Points EF Core at the database.</summary>
    public abstract void Configure(DbContextOptionsBuilder builder);

    /// <summary>A timestamp as a parameter value (UTC, microseconds: <see cref="StoreTime"/>).</summary>
    public abstract object Timestamp(DateTimeOffset value);

    /// <summary>A transaction that writes: it holds the write lock from its first statement on SQLite.</summary>
    public abstract ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>A transaction whose reads all see one snapshot, without blocking the writer.</summary>
    public abstract ValueTask<DbTransaction> BeginReadAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>
    /// Inserts the items of <paramref name="batch"/>, in order, inside <paramref name="transaction"/>; a duplicate
    /// (run, sequence) throws. By default one prepared statement executed per row, which costs little where the
    /// database is in-process (SQLite); a provider reached over the network overrides it to save round trips.
    /// </summary>
    public virtual Task InsertItemsAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<RunCommit> batch, CancellationToken cancellationToken) =>
        CommitWriter.InsertItemsPerRowAsync(connection, transaction, this, batch, cancellationToken);

    /// <summary>Readies where the data lives before the first connection (SQLite: the file's directory).</summary>
    public virtual void PrepareStorage()
    {
    }

    /// <summary>What must happen outside any transaction before migrating (SQLite: WAL mode, which persists in the file).</summary>
    public virtual Task PrepareForMigrationAsync(DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Keeps the provider's pool from handing out <paramref name="connection"/> again (its state may be broken).</summary>
    public virtual void Discard(DbConnection connection)
    {
    }

    /// <summary>Keeps other processes from migrating at the same time (PostgreSQL: an advisory lock; SQLite's write lock does it).</summary>
    public virtual Task LockForMigrationAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The dialect of validated <paramref name="options"/>.</summary>
    public static StoreDialect For(PersistenceOptions options) => options.Provider.Trim().ToLowerInvariant() switch
    {
        PersistenceOptions.Sqlite => new SqliteDialect(options.ConnectionString,
            SqliteSynchronous.TryParse(options.SqliteSynchronous) ?? throw new ArgumentException($"Unknown SqliteSynchronous '{options.SqliteSynchronous}'.", nameof(options))),
        PersistenceOptions.Postgres => new PostgresDialect(options.ConnectionString),
        _ => throw new ArgumentException($"Unknown persistence provider '{options.Provider}'; use 'sqlite' or 'postgres'.", nameof(options)),
    };
}
