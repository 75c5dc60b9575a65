using Npgsql;

namespace Workflows.Persistence.Tests.Support;

/// <summary>
/// The PostgreSQL server of the tests: <c>WORKFLOWS_TEST_POSTGRES</c> (scripts/postgres-test-server.sh prints it).
/// Checked once per test process; when it is unset or unreachable, the PostgreSQL cases are skipped with the reason.
/// </summary>
public static class PostgresServer
{
    public const string Variable = "WORKFLOWS_TEST_POSTGRES";

    private static readonly Lazy<(string? ConnectionString, string? SkipReason)> s_server = new(Probe);

    /// <summary>The connection string, or null when the server is not available.</summary>
    public static string? ConnectionString => s_server.Value.ConnectionString;

    /// <summary>Why PostgreSQL cases are skipped, or null when they run.</summary>
    public static string? SkipReason => s_server.Value.SkipReason;

    private static (string?, string?) Probe()
    {
        var connectionString = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return (null, $"PostgreSQL not available: {Variable} is not set (export {Variable}=\"$(bash scripts/postgres-test-server.sh)\")");
        }
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString) { Timeout = 5, Pooling = false };
            using var connection = new NpgsqlConnection(builder.ConnectionString);
            connection.Open();
            using var command = new NpgsqlCommand("SELECT 1", connection);
            command.ExecuteScalar();
            return (connectionString, null);
        }
        catch (Exception error)
        {
            return (null, $"PostgreSQL not available: cannot connect with {Variable}: {error.GetType().Name}: {error.Message}");
        }
    }
}
