using Workflows.Model;

namespace Workflows.Drawing;

/// <summary>Builds the <see cref="FlowGraph"/> of a compiled model: a pure function of the model.</summary>
internal static class FlowGraphBuilder
{
    public const string StartId = "_start";
    public const string StopId = "_stop";

    public static FlowGraph Build(WorkflowModel model) =>
        model.Graph is { } plan ? BuildGraph(model, plan) : BuildEventDriven(model);

    /// <summary>Steps are nodes; an edge joins a producer to every step that accepts what it emits.</summary>
    private static FlowGraph BuildEventDriven(WorkflowModel model)
    {
        var nodes = new List<FlowNode> { new(StartId, model.StartEventType.Name, FlowNodeKinds.Start) { Initial = true } };
        nodes.AddRange(model.Steps.Select(s => new FlowNode(s.Name, s.Name, FlowNodeKinds.Step) { Concurrency = s.Options.NumWorkers }));
        nodes.Add(new FlowNode(StopId, nameof(StopEvent), FlowNodeKinds.Stop) { Terminal = true });

        var edges = new List<FlowEdge>();
        foreach (var step in model.Steps.Where(s => s.AcceptsType(model.StartEventType)))
        {
            edges.Add(new FlowEdge(StartId, step.Name) { Event = model.StartEventType.Name });
        }
        foreach (var step in model.Steps)
        {
            foreach (var emitted in step.Emits)
            {
                if (typeof(StopEvent).IsAssignableFrom(emitted))
                {
                    edges.Add(new FlowEdge(step.Name, StopId) { Event = emitted.Name });
                    continue;
                }
                edges.AddRange(model.Steps.Where(t => t.AcceptsType(emitted)).Select(t => new FlowEdge(step.Name, t.Name) { Event = emitted.Name }));
            }
        }
        return new FlowGraph(model.Name, model.Version, model.Kind, nodes, edges.Distinct().ToArray());
    }

    /// <summary>Top-level nodes and their edges; group members and callbacks as nodes inside their group.</summary>
    private static FlowGraph BuildGraph(WorkflowModel model, GraphPlan plan)
    {
        var nodes = new List<FlowNode>();
        foreach (var node in plan.Nodes)
        {
            var initial = node.Index == plan.Initial;
            var terminal = plan.Terminals.Contains(node.Index);
            if (node.Kind == GraphNodeKind.Machine)
            {
                nodes.Add(new FlowNode(node.Name, node.Name, FlowNodeKinds.Step) { Initial = initial, Terminal = terminal, Human = node.Step?.Human is not null });
                continue;
            }
            var members = node.Members.Select(m => m.Name).ToArray();
            nodes.Add(new FlowNode(node.Name, node.Name, node.Kind == GraphNodeKind.Race ? FlowNodeKinds.Race : FlowNodeKinds.Parallel)
            {
                Initial = initial,
                Terminal = terminal,
                Members = members,
                Callback = node.Callback?.Name,
                Concurrency = model.PoolSizes[node.Members[0].PoolIndex],
            });
            nodes.AddRange(node.Members.Append(node.Callback).OfType<StepModel>()
                .Select(m => new FlowNode(m.Name, m.Name, FlowNodeKinds.Step) { Group = node.Name, Human = m.Human is not null }));
        }
        var edges = plan.Edges.Select(e => new FlowEdge(e.Edge.Source, e.Edge.Target) { Condition = e.Edge.Condition?.Text }).ToArray();
        return new FlowGraph(model.Name, model.Version, model.Kind, nodes, edges);
    }
}
