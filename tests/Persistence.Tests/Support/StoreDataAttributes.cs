using System.Reflection;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Workflows.Persistence.Tests.Support;

/// <summary>The SQLite row of a store <c>[Theory]</c>: <c>[Theory, SqliteStore, PostgresStore]</c>.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class SqliteStoreAttribute : DataAttribute
{
    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [[StoreKind.Sqlite]];
}

/// <summary>
/// The PostgreSQL row of a store <c>[Theory]</c>, skipped at discovery when <see cref="PostgresServer"/> is not
/// available (xunit 2 has no skipping from inside a running test). The reason goes with each skipped case and, once,
/// to the console through <see cref="PostgresDataDiscoverer"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
[DataDiscoverer("Workflows.Persistence.Tests.Support.PostgresDataDiscoverer", "Workflows.Persistence.Tests")]
public sealed class PostgresStoreAttribute : DataAttribute
{
    public PostgresStoreAttribute()
    {
        Skip = PostgresServer.SkipReason;
    }

    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [[StoreKind.Postgres]];
}

/// <summary>A PostgreSQL-only <c>[Fact]</c>, skipped with the reason when the server is not available.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        Skip = PostgresServer.SkipReason;
    }
}

/// <summary>
/// Says once per test run, on the console (xunit.runner.json turns diagnostic messages on), that the PostgreSQL
/// cases are skipped and why: <c>dotnet test</c> at its default verbosity shows skipped names but not reasons.
/// </summary>
public sealed class PostgresDataDiscoverer : DataDiscoverer
{
    private static int s_told;

    public PostgresDataDiscoverer(IMessageSink diagnosticMessageSink)
    {
        if (PostgresServer.SkipReason is { } reason && Interlocked.Exchange(ref s_told, 1) == 0)
        {
            diagnosticMessageSink.OnMessage(new DiagnosticMessage($"SKIPPING every PostgreSQL case. {reason}"));
        }
    }
}
