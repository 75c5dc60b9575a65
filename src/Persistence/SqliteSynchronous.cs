namespace Workflows.Persistence.EntityFramework;

/// <summary>The accepted values of <see cref="PersistenceOptions.SqliteSynchronous"/> as SQLite pragma values.</summary>
internal static class SqliteSynchronous
{
    /// <summary>The pragma value (<c>NORMAL</c>, <c>FULL</c>) for an option value, or null when it is neither.</summary>
    public static string? TryParse(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "normal" => "NORMAL",
        "full" => "FULL",
        _ => null,
    };
}
