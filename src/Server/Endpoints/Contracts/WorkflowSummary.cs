namespace Workflows.Server.Endpoints.Contracts;

/// <summary>One registered workflow in the catalogue list (its latest version).</summary>
/// <param name="Name">Registered name, as used in <c>/api/workflows/{name}</c>.</param>
/// <param name="Version">The latest registered version.</param>
/// <param name="Description">One line, or null.</param>
/// <param name="Kind"><c>event</c> (a <see cref="Workflow"/> subclass) or <c>graph</c> (a <see cref="WorkflowDefinition"/>).</param>
/// <param name="Steps">Step names.</param>
public sealed record WorkflowSummary(string Name, string Version, string? Description, string Kind, IReadOnlyList<string> Steps)
{
    internal static WorkflowSummary From(WorkflowInfo info) =>
        new(info.Name, info.Version, info.Description, info.Kind, info.Steps);
}
