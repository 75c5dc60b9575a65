using System.Data.Common;
using System.Globalization;
using Workflows.Persistence.EntityFramework.Stores;

namespace Workflows.Persistence.EntityFramework.Schema;

/// <summary>
/// Brings a database to the newest script's version: in one transaction (and, on PostgreSQL, under an advisory
/// lock, so two servers starting together do not both migrate), creates <c>schema_version</c> if missing, reads the
/// highest applied version, runs every newer script in order and records each. Any failure rolls all of it back.
/// </summary>
internal sealed class SchemaMigrator(StoreDialect dialect, TimeProvider time)
{
    /// <summary>The outcome: the version found and the version reached.</summary>
    public readonly record struct Result(int From, int To);

    public async Task<Result> MigrateAsync(DbConnection connection, IReadOnlyList<SchemaScript> scripts, CancellationToken cancellationToken)
    {
        var target = scripts.Count == 0 ? 0 : scripts[^1].Version;
        await dialect.PrepareForMigrationAsync(connection, cancellationToken).ConfigureAwait(false);
        await using var transaction = await dialect.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        await dialect.LockForMigrationAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, dialect.SchemaVersionTableSql, cancellationToken).ConfigureAwait(false);

        int current;
        await using (var read = Command(connection, transaction, "SELECT COALESCE(MAX(version), 0) FROM schema_version"))
        {
            current = Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }
        if (current > target)
        {
            throw new InvalidOperationException(
                $"The database schema is at version {current}, newer than this build knows ({target}). Run a build that knows " +
                $"version {current}, or restore a backup: schema downgrades are not supported.");
        }

        foreach (var script in scripts.Where(s => s.Version > current))
        {
            await ExecuteAsync(connection, transaction, script.Sql, cancellationToken).ConfigureAwait(false);
            await using var record = Command(connection, transaction,
                "INSERT INTO schema_version (version, name, applied_at) VALUES (@version, @name, @applied_at)");
            record.Parameters.Add(Parameter(record, "@version", System.Data.DbType.Int32, script.Version));
            record.Parameters.Add(Parameter(record, "@name", System.Data.DbType.String, script.Name));
            record.Parameters.Add(Parameter(record, "@applied_at", dialect.TimestampDbType, dialect.Timestamp(time.GetUtcNow())));
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new Result(current, Math.Max(current, target));
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, sql);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static DbCommand Command(DbConnection connection, DbTransaction transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private static DbParameter Parameter(DbCommand command, string name, System.Data.DbType type, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = type;
        parameter.Value = value;
        return parameter;
    }
}
