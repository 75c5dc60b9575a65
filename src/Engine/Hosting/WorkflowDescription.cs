using System.Text.Json.Nodes;

namespace Workflows;

/// <summary>
/// A workflow version in full: what <c>GET /api/workflows/{name}</c> shows, read from the same model the runtime
/// executes (so it cannot disagree with what runs).
/// </summary>
public sealed record WorkflowDescription
{
    /// <summary>Name.</summary>
    public required string Name { get; init; }

    /// <summary>This version.</summary>
    public required string Version { get; init; }

    /// <summary>One line, or null.</summary>
    public string? Description { get; init; }

    /// <summary>"event" or "graph".</summary>
    public required string Kind { get; init; }

    /// <summary>Every step, group members and callbacks included.</summary>
    public required IReadOnlyList<StepDescription> Steps { get; init; }

    /// <summary>Graph edges (none for event-driven workflows).</summary>
    public required IReadOnlyList<EdgeDescription> Edges { get; init; }

    /// <summary>The graph's initial step, or the event-driven start event type.</summary>
    public string? InitialStep { get; init; }

    /// <summary>The graph's terminal steps (none for event-driven workflows).</summary>
    public required IReadOnlyList<string> TerminalSteps { get; init; }

    /// <summary>Event types that may be posted into a run from outside.</summary>
    public required IReadOnlyList<string> ExternalEvents { get; init; }

    /// <summary>Every registered version, oldest first.</summary>
    public required IReadOnlyList<string> Versions { get; init; }
}

/// <summary>One step of a <see cref="WorkflowDescription"/>.</summary>
public sealed record StepDescription
{
    /// <summary>Name.</summary>
    public required string Name { get; init; }

    /// <summary>"step", "human", or for graph groups "member"/"callback".</summary>
    public required string Type { get; init; }

    /// <summary>The group, for members and callbacks.</summary>
    public string? Group { get; init; }

    /// <summary>Worker slots.</summary>
    public int NumWorkers { get; init; }

    /// <summary>Event types it accepts (event-driven).</summary>
    public required IReadOnlyList<string> Accepts { get; init; }

    /// <summary>Event types it emits (event-driven).</summary>
    public required IReadOnlyList<string> Emits { get; init; }

    /// <summary>A human step's form.</summary>
    public JsonObject? FormSchema { get; init; }

    /// <summary>Bound on one attempt, in seconds, or null.</summary>
    public double? TimeoutSeconds { get; init; }

    /// <summary>The retry policy (null = one attempt).</summary>
    public RetryDescription? Retry { get; init; }
}

/// <summary>A step's retry policy as clients see it.</summary>
/// <param name="MaximumAttempts">Attempts, the first included.</param>
/// <param name="InitialIntervalMs">First delay.</param>
/// <param name="Backoff">"fixed" or "exponential".</param>
/// <param name="BackoffCoefficient">Multiplier of exponential backoff.</param>
/// <param name="RetryOn">Exception types retried (empty = all).</param>
public sealed record RetryDescription(int MaximumAttempts, double InitialIntervalMs, string Backoff, double BackoffCoefficient, IReadOnlyList<string> RetryOn);

/// <summary>An edge of a <see cref="WorkflowDescription"/>.</summary>
/// <param name="Source">From.</param>
/// <param name="Target">To.</param>
/// <param name="Condition">The condition's text, or null.</param>
public sealed record EdgeDescription(string Source, string Target, string? Condition);
