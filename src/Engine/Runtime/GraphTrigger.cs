namespace Workflows.Runtime;

/// <summary>The event that starts a graph step: graph steps are triggered by edges, not by event types.</summary>
internal sealed record GraphTrigger : Event
{
    public static GraphTrigger Instance { get; } = new();
}
