namespace Workflows.Persistence.EntityFramework.Entities;

/// <summary>A row of <c>definitions</c>: a workflow definition as first seen (<see cref="DefinitionRecord"/>).</summary>
public sealed class DefinitionEntity
{
    /// <summary>Workflow name (with <see cref="Version"/>, the primary key).</summary>
    public string Name { get; set; } = "";

    /// <summary>Version.</summary>
    public string Version { get; set; } = "";

    /// <summary>"event" or "graph".</summary>
    public string Kind { get; set; } = "";

    /// <summary>The hash of its steps and edges when this name and version was first recorded.</summary>
    public string ShapeHash { get; set; } = "";

    /// <summary>When it was first recorded.</summary>
    public DateTimeOffset FirstSeenAt { get; set; }
}
