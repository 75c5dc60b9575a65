namespace Workflows;

/// <summary>A registered workflow as catalogues show it.</summary>
/// <param name="Name">Registered name.</param>
/// <param name="Version">This version.</param>
/// <param name="Description">One line, or null.</param>
/// <param name="Kind">"event" (a <see cref="Workflow"/> class) or "graph" (a <see cref="WorkflowDefinition"/>).</param>
/// <param name="Steps">Step names.</param>
/// <param name="Versions">Every registered version, oldest first.</param>
public sealed record WorkflowInfo(string Name, string Version, string? Description, string Kind, IReadOnlyList<string> Steps, IReadOnlyList<string> Versions);
