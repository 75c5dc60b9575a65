namespace Workflows.Server.Endpoints.Contracts;

/// <summary>One version of a registered workflow, read from the model the engine runs.</summary>
/// <param name="Name">Registered name.</param>
/// <param name="Version">The version described.</param>
/// <param name="Description">One line, or null.</param>
/// <param name="Kind"><c>event</c> or <c>graph</c>.</param>
/// <param name="Steps">Every step (group members and callbacks included), in the engine's order.</param>
/// <param name="Edges">Graph edges with their conditions (none for event-driven workflows).</param>
/// <param name="InitialStep">The graph's initial step, or the event-driven start event type.</param>
/// <param name="TerminalSteps">The graph's terminal steps (none for event-driven workflows).</param>
/// <param name="ExternalEvents">Event types that <c>POST /api/instances/{id}/events</c> may send into a run.</param>
/// <param name="Versions">Every registered version of this workflow, oldest first.</param>
public sealed record WorkflowDetail(
    string Name,
    string Version,
    string? Description,
    string Kind,
    IReadOnlyList<WorkflowStep> Steps,
    IReadOnlyList<WorkflowEdge> Edges,
    string? InitialStep,
    IReadOnlyList<string> TerminalSteps,
    IReadOnlyList<string> ExternalEvents,
    IReadOnlyList<string> Versions)
{
    internal static WorkflowDetail From(WorkflowDescription description) => new(
        description.Name,
        description.Version,
        description.Description,
        description.Kind,
        description.Steps.Select(WorkflowStep.From).ToArray(),
        description.Edges.Select(e => new WorkflowEdge(e.Source, e.Target, e.Condition)).ToArray(),
        description.InitialStep,
        description.TerminalSteps,
        description.ExternalEvents,
        description.Versions);
}

/// <summary>An edge of a graph workflow.</summary>
/// <param name="Source">The step (or group) it leaves.</param>
/// <param name="Target">The step (or group) it enters.</param>
/// <param name="Condition">The condition's text (<c>amount &gt; 1000</c>), or null when always taken.</param>
public sealed record WorkflowEdge(string Source, string Target, string? Condition);
