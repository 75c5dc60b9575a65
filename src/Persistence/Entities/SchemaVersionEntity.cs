namespace Workflows.Persistence.EntityFramework.Entities;

/// <summary>A row of <c>schema_version</c>: one applied schema script; the highest version is the schema's.</summary>
public sealed class SchemaVersionEntity
{
    /// <summary>The script's version (primary key).</summary>
    public int Version { get; set; }

    /// <summary>The script's name (<c>001_initial</c>).</summary>
    public string Name { get; set; } = "";

    /// <summary>When it was applied.</summary>
    public DateTimeOffset AppliedAt { get; set; }
}
