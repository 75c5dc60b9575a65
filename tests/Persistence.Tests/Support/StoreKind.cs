namespace Workflows.Persistence.Tests.Support;

/// <summary>The providers every store test runs against.</summary>
public enum StoreKind
{
    Sqlite,
    Postgres,
}
