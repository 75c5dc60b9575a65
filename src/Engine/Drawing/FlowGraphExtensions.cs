using Workflows.Drawing;

namespace Workflows;

/// <summary>Drawings of workflows and runs.</summary>
public static class FlowGraphExtensions
{
    /// <summary>Every possible flow of a registered workflow (the latest version, or <paramref name="version"/>), or null.</summary>
    public static FlowGraph? DrawAllPossibleFlows(this WorkflowRegistry registry, string name, string? version = null) =>
        registry.FindModel(name, version) is { } model ? FlowGraphBuilder.Build(model) : null;

    /// <summary>Every possible flow of an event-driven workflow.</summary>
    public static FlowGraph DrawAllPossibleFlows(this Workflow workflow) => FlowGraphBuilder.Build(workflow.GetModel());

    /// <summary>The run's workflow, coloured by each step's state so far.</summary>
    public static FlowGraph Draw(this RunHandle run) =>
        RunStateColouring.Apply(FlowGraphBuilder.Build(run.Model), run.Items.Snapshot());

    /// <summary>The drawing as a Mermaid flowchart.</summary>
    public static string ToMermaid(this FlowGraph graph) => MermaidWriter.Write(graph);
}
