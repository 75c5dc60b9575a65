namespace Workflows;

/// <summary>
/// A graph workflow: steps, edges between them, where a run starts and where it may end. Registered with
/// <see cref="WorkflowRegistry.Register(WorkflowDefinition)"/>, which validates it and compiles it onto the same
/// runtime as event-driven workflows.
/// </summary>
public sealed record WorkflowDefinition
{
    /// <summary>Registered name.</summary>
    public required string Name { get; init; }

    /// <summary>Semantic version; runs stay on the version they started with.</summary>
    public string Version { get; init; } = "1.0.0";

    /// <summary>One line for catalogues.</summary>
    public string? Description { get; init; }

    /// <summary>The nodes: machine steps, parallel and race groups.</summary>
    public required IReadOnlyList<GraphStep> Steps { get; init; }

    /// <summary>The transitions.</summary>
    public IReadOnlyList<Edge> Edges { get; init; } = [];

    /// <summary>The step a run starts with.</summary>
    public required string InitialStep { get; init; }

    /// <summary>Steps at which a run may end; a run that ends elsewhere fails.</summary>
    public required IReadOnlyList<string> TerminalSteps { get; init; }

    /// <summary>Wall-clock bound of a run; null = none. Time waiting for people is not counted unless <see cref="TimeoutIncludesHumanWait"/>.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Count time spent waiting for people against <see cref="Timeout"/>.</summary>
    public bool TimeoutIncludesHumanWait { get; init; }
}
