namespace Workflows.Server.Endpoints.Contracts;

/// <summary>One version of a registered workflow.</summary>
/// <param name="Name">Registered name.</param>
/// <param name="Version">The version described.</param>
/// <param name="Description">One line, or null.</param>
/// <param name="Kind"><c>event</c> (a <see cref="Workflow"/> subclass) or, later, <c>graph</c>.</param>
/// <param name="Steps">The steps, in the engine's order.</param>
/// <param name="Versions">Every registered version of this workflow, oldest first.</param>
public sealed record WorkflowDetail(
    string Name,
    string Version,
    string? Description,
    string Kind,
    IReadOnlyList<WorkflowStep> Steps,
    IReadOnlyList<string> Versions)
{
    internal static WorkflowDetail From(WorkflowInfo info) =>
        new(info.Name, info.Version, info.Description, WorkflowKinds.Event, info.Steps.Select(s => new WorkflowStep(s)).ToArray(), info.Versions);
}
