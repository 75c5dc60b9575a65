namespace Workflows.Model;

/// <summary>What kind of node a graph node is.</summary>
internal enum GraphNodeKind
{
    Machine,
    Parallel,
    Race,
}

/// <summary>A top-level node of a compiled graph, with the runtime steps that carry it out.</summary>
/// <param name="Index">Position in <see cref="GraphPlan.Nodes"/>.</param>
/// <param name="Name">The node's name.</param>
/// <param name="Kind">Machine step or group.</param>
/// <param name="Step">The runtime step of a machine node.</param>
/// <param name="Members">The runtime steps of a group's members.</param>
/// <param name="Callback">A parallel group's callback step.</param>
internal sealed record GraphNode(int Index, string Name, GraphNodeKind Kind, StepModel? Step, IReadOnlyList<StepModel> Members, StepModel? Callback);

/// <summary>An edge between two top-level nodes; a back edge closes a cycle and never takes part in a join.</summary>
internal sealed record GraphEdge(Edge Edge, int Source, int Target, bool IsBackEdge);

/// <summary>The role a runtime step plays in the graph.</summary>
internal enum GraphRole
{
    Node,
    Member,
    Callback,
}

/// <summary>
/// The graph half of a <see cref="WorkflowModel"/>: nodes, edges by source, forward in-degrees (for joins), the
/// initial and terminal nodes. Immutable; each run keeps its own counters in <c>Runtime.GraphRun</c>.
/// </summary>
internal sealed class GraphPlan(
    IReadOnlyList<GraphNode> nodes,
    IReadOnlyList<GraphEdge> edges,
    int initial,
    IReadOnlySet<int> terminals,
    IReadOnlyList<(GraphNode Node, GraphRole Role)> byStep)
{
    public IReadOnlyList<GraphNode> Nodes { get; } = nodes;

    public IReadOnlyList<GraphEdge> Edges { get; } = edges;

    public int Initial { get; } = initial;

    public IReadOnlySet<int> Terminals { get; } = terminals;

    /// <summary>Outgoing edges per node.</summary>
    public IReadOnlyList<GraphEdge[]> Outgoing { get; } = nodes.Select(n => edges.Where(e => e.Source == n.Index).ToArray()).ToArray();

    /// <summary>Forward (non-back) incoming edges per node: a join waits until all of them are resolved.</summary>
    public IReadOnlyList<int> ForwardInDegree { get; } = nodes.Select(n => edges.Count(e => e.Target == n.Index && !e.IsBackEdge)).ToArray();

    /// <summary>For each runtime step (by <see cref="StepModel.Index"/>), its node and role.</summary>
    public IReadOnlyList<(GraphNode Node, GraphRole Role)> ByStep { get; } = byStep;
}
