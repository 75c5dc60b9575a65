namespace Workflows;

/// <summary>
/// A drawing of every possible flow of a workflow (or of one run, when <see cref="FlowNode.State"/> is set), built
/// from the same step metadata the runtime executes, for both authoring styles. Serialises as the JSON
/// nodes/edges model; <see cref="FlowGraphExtensions.ToMermaid"/> renders it as Mermaid text.
/// </summary>
/// <param name="Workflow">The workflow's name.</param>
/// <param name="Version">Its version.</param>
/// <param name="Kind">"event" or "graph".</param>
/// <param name="Nodes">Steps, groups and (event-driven) the start and stop pseudo-nodes.</param>
/// <param name="Edges">Possible transitions.</param>
public sealed record FlowGraph(string Workflow, string Version, string Kind, IReadOnlyList<FlowNode> Nodes, IReadOnlyList<FlowEdge> Edges);

/// <summary>A node of a <see cref="FlowGraph"/>.</summary>
/// <param name="Id">Unique id (the step or group name; <c>_start</c>/<c>_stop</c> for the pseudo-nodes).</param>
/// <param name="Label">What to show.</param>
/// <param name="Kind">One of <see cref="FlowNodeKinds"/>.</param>
public sealed record FlowNode(string Id, string Label, string Kind)
{
    /// <summary>Where runs start.</summary>
    public bool Initial { get; init; }

    /// <summary>Where runs may end.</summary>
    public bool Terminal { get; init; }

    /// <summary>A step that waits for a person.</summary>
    public bool Human { get; init; }

    /// <summary>The enclosing group's id, for members and callbacks.</summary>
    public string? Group { get; init; }

    /// <summary>For a group: its members' ids.</summary>
    public IReadOnlyList<string>? Members { get; init; }

    /// <summary>For a parallel group: the callback's id, which runs after every member.</summary>
    public string? Callback { get; init; }

    /// <summary>Worker slots (event-driven steps) or the group's concurrency cap.</summary>
    public int? Concurrency { get; init; }

    /// <summary>In a run's drawing: one of <see cref="FlowNodeStates"/>, or null when the run never reached it.</summary>
    public string? State { get; init; }
}

/// <summary>An edge of a <see cref="FlowGraph"/>.</summary>
/// <param name="Source">Source node id.</param>
/// <param name="Target">Target node id.</param>
public sealed record FlowEdge(string Source, string Target)
{
    /// <summary>The event type that travels it (event-driven workflows).</summary>
    public string? Event { get; init; }

    /// <summary>The condition text (graph workflows), or null when unconditional.</summary>
    public string? Condition { get; init; }
}

/// <summary>Node kinds of a <see cref="FlowGraph"/>.</summary>
public static class FlowNodeKinds
{
#pragma warning disable CS1591 // the names say it
    public const string Start = "start";
    public const string Stop = "stop";
    public const string Step = "step";
    public const string Parallel = "parallel";
    public const string Race = "race";
#pragma warning restore CS1591
}

/// <summary>Node states in a run's drawing.</summary>
public static class FlowNodeStates
{
#pragma warning disable CS1591 // the names say it
    public const string Done = "done";
    public const string Running = "running";
    public const string Waiting = "waiting";
    public const string Failed = "failed";
    public const string Skipped = "skipped";
    public const string Canceled = "canceled";
#pragma warning restore CS1591
}
