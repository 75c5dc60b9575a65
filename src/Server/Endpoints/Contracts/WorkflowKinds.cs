namespace Workflows.Server.Endpoints.Contracts;

/// <summary>Values of the <c>kind</c> field of a workflow.</summary>
public static class WorkflowKinds
{
    /// <summary>An event-driven workflow: a <see cref="Workflow"/> subclass whose steps are triggered by event types.</summary>
    public const string Event = "event";

    /// <summary>A graph workflow: a <see cref="WorkflowDefinition"/> of steps and edges.</summary>
    public const string Graph = "graph";
}
