using System.Text;

namespace Workflows.Drawing;

/// <summary>
/// Renders a <see cref="FlowGraph"/> as a Mermaid flowchart. Node ids are generated (<c>n0</c>, <c>n1</c>…) and
/// every label is quoted and escaped, so no step name can break the syntax or inject markup.
/// </summary>
internal static class MermaidWriter
{
    private static readonly (string State, string Style)[] s_stateStyles =
    [
        (FlowNodeStates.Done, "fill:#d4edda,stroke:#2e7d32"),
        (FlowNodeStates.Running, "fill:#cfe2ff,stroke:#0d6efd"),
        (FlowNodeStates.Waiting, "fill:#fff3cd,stroke:#b58100"),
        (FlowNodeStates.Failed, "fill:#f8d7da,stroke:#b02a37"),
        (FlowNodeStates.Skipped, "fill:#e9ecef,stroke:#6c757d,stroke-dasharray:4"),
        (FlowNodeStates.Canceled, "fill:#e2e3e5,stroke:#41464b"),
    ];

    public static string Write(FlowGraph graph)
    {
        var ids = graph.Nodes.Select((n, i) => (n.Id, Key: $"n{i}")).ToDictionary(p => p.Id, p => p.Key, StringComparer.Ordinal);
        var text = new StringBuilder("flowchart TD\n");
        foreach (var node in graph.Nodes.Where(n => n.Group is null))
        {
            if (node.Members is { } members)
            {
                var caption = node.Kind == FlowNodeKinds.Race ? $"{node.Label} (race)" : $"{node.Label} (parallel, at most {node.Concurrency})";
                text.Append("    subgraph ").Append(ids[node.Id]).Append("[\"").Append(Escape(caption)).Append("\"]\n");
                foreach (var member in graph.Nodes.Where(n => n.Group == node.Id))
                {
                    text.Append("        ").Append(Shape(ids[member.Id], member)).Append('\n');
                }
                text.Append("    end\n");
                if (node.Callback is { } callback)
                {
                    // The chord: the callback waits for every member.
                    foreach (var member in members)
                    {
                        text.Append("    ").Append(ids[member]).Append(" -.-> ").Append(ids[callback]).Append('\n');
                    }
                }
            }
            else
            {
                text.Append("    ").Append(Shape(ids[node.Id], node)).Append('\n');
            }
        }
        foreach (var edge in graph.Edges)
        {
            var label = edge.Condition ?? edge.Event;
            text.Append("    ").Append(ids[edge.Source]).Append(" -->");
            if (label is not null)
            {
                text.Append("|\"").Append(Escape(label)).Append("\"|");
            }
            text.Append(' ').Append(ids[edge.Target]).Append('\n');
        }
        foreach (var (state, style) in s_stateStyles)
        {
            var keys = graph.Nodes.Where(n => n.State == state).Select(n => ids[n.Id]).ToArray();
            if (keys.Length > 0)
            {
                text.Append("    classDef ").Append(state).Append(' ').Append(style).Append('\n');
                text.Append("    class ").Append(string.Join(',', keys)).Append(' ').Append(state).Append('\n');
            }
        }
        return text.ToString();
    }

    private static string Shape(string key, FlowNode node)
    {
        var label = Escape(node.Label + (node.Initial && node.Kind == FlowNodeKinds.Step ? " ▶" : "") + (node.Terminal && node.Kind == FlowNodeKinds.Step ? " ■" : ""));
        return node.Kind switch
        {
            FlowNodeKinds.Start or FlowNodeKinds.Stop => $"{key}([\"{label}\"])",
            _ when node.Human => $"{key}[/\"{label}\"/]",
            _ => $"{key}[\"{label}\"]",
        };
    }

    /// <summary>Mermaid reads entity codes inside quoted labels; quotes and markup characters become codes.</summary>
    private static string Escape(string text) => text
        .Replace("&", "#amp;", StringComparison.Ordinal)
        .Replace("\"", "#quot;", StringComparison.Ordinal)
        .Replace("<", "#lt;", StringComparison.Ordinal)
        .Replace(">", "#gt;", StringComparison.Ordinal)
        .Replace("\n", " ", StringComparison.Ordinal);
}
