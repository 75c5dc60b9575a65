namespace Workflows;

/// <summary>
/// A node of a <see cref="WorkflowDefinition"/>: a machine step, a <see cref="ParallelGroup"/> or a
/// <see cref="RaceGroup"/>. Nodes are descriptions; the runtime executes them.
/// </summary>
public abstract class GraphStep
{
    /// <summary>Creates a node named <paramref name="name"/>.</summary>
    protected GraphStep(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
    }

    /// <summary>Unique within the definition, group members included.</summary>
    public string Name { get; }

    /// <summary>One line for drawings and the API.</summary>
    public string? Description { get; init; }
}
