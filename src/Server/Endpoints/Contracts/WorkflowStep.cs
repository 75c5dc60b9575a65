namespace Workflows.Server.Endpoints.Contracts;

/// <summary>One step of a workflow. Only the name for now; the step's options and event types will join it.</summary>
/// <param name="Name">The step's name (snake_case).</param>
public sealed record WorkflowStep(string Name);
