namespace Workflows.Persistence.EntityFramework;

/// <summary>
/// Where and how runs are stored (bound from <c>Workflows:Persistence</c>; checked when the host starts, see
/// docs/persistence.md).
/// </summary>
public sealed class PersistenceOptions
{
    /// <summary>The configuration section these options are read from.</summary>
    public const string SectionName = "Workflows:Persistence";

    /// <summary>The value of <see cref="Provider"/> for SQLite.</summary>
    public const string Sqlite = "sqlite";

    /// <summary>The value of <see cref="Provider"/> for PostgreSQL.</summary>
    public const string Postgres = "postgres";

    /// <summary><c>sqlite</c> (the default) or <c>postgres</c>; case is ignored.</summary>
    public string Provider { get; set; } = Sqlite;

    /// <summary>
    /// The ADO.NET connection string of the provider. The default, <c>Data Source=workflows.db</c>, is a SQLite file
    /// in the working directory (beside the server).
    /// </summary>
    public string ConnectionString { get; set; } = "Data Source=workflows.db";

    /// <summary>
    /// SQLite's <c>synchronous</c> setting: <c>normal</c> (the default; in WAL mode a power loss may roll back the
    /// last commits, a process crash loses nothing) or <c>full</c> (every commit is fsynced before it is
    /// acknowledged). Ignored by PostgreSQL.
    /// </summary>
    public string SqliteSynchronous { get; set; } = "normal";
}
