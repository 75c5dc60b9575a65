using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Workflows.Persistence.EntityFramework.Sqlite;

/// <summary>
/// Sets the per-connection pragmas each time EF opens a connection: <c>busy_timeout</c> (wait for the writer rather
/// than fail), <c>foreign_keys</c> and <c>synchronous</c>. WAL itself persists in the file (set by the migrator).
/// </summary>
internal sealed class SqliteConnectionSetup(string synchronous) : DbConnectionInterceptor
{
    /// <summary>How long a connection waits for a lock before SQLite reports it busy.</summary>
    public const int BusyTimeoutMilliseconds = 5000;

    private readonly string _pragmas =
        $"PRAGMA busy_timeout = {BusyTimeoutMilliseconds}; PRAGMA foreign_keys = ON; PRAGMA synchronous = {synchronous};";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = _pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = _pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
