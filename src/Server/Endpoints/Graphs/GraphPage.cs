using System.Globalization;
using System.Net;
using System.Text;

namespace Workflows.Server.Endpoints.Graphs;

/// <summary>
/// A self-contained HTML page for a <see cref="FlowGraph"/>: an SVG drawing laid out here (layers by longest path
/// from the start; groups as boxes holding their members), coloured by state for a run, and the Mermaid text in a
/// <c>&lt;pre&gt;</c>. No script and no file from anywhere else, so it renders offline.
/// </summary>
internal static class GraphPage
{
    private const double NodeHeight = 40;
    private const double MemberHeight = 34;
    private const double LayerGap = 70;
    private const double NodeGap = 48;
    private const double Margin = 24;
    private const double GroupPad = 12;
    private const double GroupTitle = 22;
    private const double CharWidth = 7.6;
    private const double LoopRoom = 90;

    private static readonly (string State, string Fill, string Stroke)[] s_states =
    [
        (FlowNodeStates.Done, "#d4edda", "#2e7d32"),
        (FlowNodeStates.Running, "#cfe2ff", "#0d6efd"),
        (FlowNodeStates.Waiting, "#fff3cd", "#b58100"),
        (FlowNodeStates.Failed, "#f8d7da", "#b02a37"),
        (FlowNodeStates.Skipped, "#e9ecef", "#6c757d"),
        (FlowNodeStates.Canceled, "#e2e3e5", "#41464b"),
    ];

    private sealed class Box(FlowNode node, double width, double height)
    {
        public FlowNode Node { get; } = node;
        public double W { get; set; } = width;
        public double H { get; set; } = height;
        public double X { get; set; }
        public double Y { get; set; }
        public List<Box> Members { get; } = [];
        public Box? Callback { get; set; }
        public double CenterX => X + W / 2;
        public double CenterY => Y + H / 2;
        public double Right => X + W;
        public double Bottom => Y + H;
    }

    /// <summary>The page; with <paramref name="embed"/> only the drawing and its legend (for a frame in another page).</summary>
    public static string Render(FlowGraph graph, string title, string? caption, bool embed = false)
    {
        var svg = DrawSvg(graph, out var width, out var height);
        var page = new StringBuilder();
        page.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>").Append(Html(title)).Append("</title>\n<style>\n")
            .Append("body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:1.5rem;color:#212529}\n")
            .Append("h1{font-size:1.3rem;margin:0 0 .25rem}p{margin:.25rem 0 .75rem;color:#495057}\n")
            .Append(".drawing{overflow:auto;border:1px solid #dee2e6;border-radius:6px;background:#fff;padding:.5rem}\n")
            .Append("svg text{font:13px system-ui,-apple-system,'Segoe UI',sans-serif;fill:#212529}\n")
            .Append("svg .edge{fill:none;stroke:#6c757d;stroke-width:1.4}svg .chord{fill:none;stroke:#adb5bd;stroke-dasharray:4 3}\n")
            .Append("svg .label{font-size:11px;fill:#495057;paint-order:stroke;stroke:#fff;stroke-width:4px}\n")
            .Append("svg .node{fill:#fff;stroke:#495057;stroke-width:1.4}svg .group{fill:#f8f9fa;stroke:#adb5bd;stroke-dasharray:6 3}\n")
            .Append("svg .human{stroke-width:2.6}svg .caption{font-size:12px;fill:#495057}\n");
        foreach (var (state, fill, stroke) in s_states)
        {
            page.Append("svg .").Append(state).Append("{fill:").Append(fill).Append(";stroke:").Append(stroke).Append("}\n");
        }
        page.Append(".legend{display:flex;flex-wrap:wrap;gap:.75rem;font-size:.85rem;margin:.75rem 0;padding:0;list-style:none}\n")
            .Append(".legend span{display:inline-block;width:.9rem;height:.9rem;border:1px solid;border-radius:3px;vertical-align:middle;margin-right:.3rem}\n")
            .Append("pre{background:#f8f9fa;border:1px solid #dee2e6;border-radius:6px;padding:.75rem;overflow:auto;font-size:.85rem}\n")
            .Append(embed ? "body{margin:0}.drawing{border:0;padding:0}\n" : "")
            .Append("</style>\n</head>\n<body>\n");
        if (!embed)
        {
            page.Append("<h1>").Append(Html(title)).Append("</h1>\n");
        }
        if (caption is not null && !embed)
        {
            page.Append("<p>").Append(Html(caption)).Append("</p>\n");
        }
        if (!embed)
        {
            page.Append("<p>Kind: ").Append(Html(graph.Kind)).Append(". Also as <a href=\"?format=json\">JSON</a> and <a href=\"?format=mermaid\">Mermaid</a>.</p>\n");
        }
        page.Append("<div class=\"drawing\">\n").Append(svg).Append("</div>\n<ul class=\"legend\">\n");
        foreach (var (state, fill, stroke) in s_states)
        {
            page.Append("<li><span style=\"background:").Append(fill).Append(";border-color:").Append(stroke).Append("\"></span>").Append(state).Append("</li>\n");
        }
        page.Append("<li><span style=\"background:#fff;border-color:#495057;border-width:2.6px\"></span>human step (thick border)</li>\n")
            .Append("<li>▶ initial, ■ terminal; dashed lines: a group's members before its callback</li>\n</ul>\n");
        if (!embed)
        {
            page.Append("<h2 style=\"font-size:1rem\">Mermaid</h2>\n<pre>").Append(Html(graph.ToMermaid())).Append("</pre>\n");
        }
        page.Append("<!-- drawing: ").Append(N(width)).Append('x').Append(N(height)).Append(" -->\n</body>\n</html>\n");
        return page.ToString();
    }

    private static string DrawSvg(FlowGraph graph, out double width, out double height)
    {
        var byId = graph.Nodes.ToDictionary(n => n.Id, StringComparer.Ordinal);
        var top = graph.Nodes.Where(n => n.Group is null || !byId.ContainsKey(n.Group)).ToList();
        var boxes = top.ToDictionary(n => n.Id, n => Measure(n, byId), StringComparer.Ordinal);
        var edges = graph.Edges.Where(e => boxes.ContainsKey(e.Source) && boxes.ContainsKey(e.Target)).ToList();
        var (layers, back) = Layer(top, edges);

        // Rows, each centred; every box placed, members inside their group.
        var rows = top.GroupBy(n => layers[n.Id]).OrderBy(g => g.Key).Select(g => g.Select(n => boxes[n.Id]).ToList()).ToList();
        var widest = rows.Count == 0 ? 0 : rows.Max(r => r.Sum(b => b.W) + NodeGap * (r.Count - 1));
        var y = Margin;
        foreach (var row in rows)
        {
            var x = Margin + (widest - (row.Sum(b => b.W) + NodeGap * (row.Count - 1))) / 2;
            var rowHeight = row.Max(b => b.H);
            foreach (var box in row)
            {
                box.X = x;
                box.Y = y + (rowHeight - box.H) / 2;
                PlaceMembers(box);
                x += box.W + NodeGap;
            }
            y += rowHeight + LayerGap;
        }
        width = widest + 2 * Margin + (back.Count > 0 ? LoopRoom : 0);
        height = y - LayerGap + Margin;

        var svg = new StringBuilder();
        svg.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"").Append(N(width)).Append("\" height=\"").Append(N(height))
            .Append("\" viewBox=\"0 0 ").Append(N(width)).Append(' ').Append(N(height)).Append("\">\n")
            .Append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto-start-reverse\">")
            .Append("<path d=\"M0,0 L10,5 L0,10 z\" fill=\"#6c757d\"/></marker></defs>\n");
        foreach (var box in boxes.Values.Where(b => b.Members.Count > 0))
        {
            DrawGroup(svg, box);
        }
        var loops = 0;
        var fanOut = edges.GroupBy(e => e.Source, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var fanIn = edges.GroupBy(e => e.Target, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        foreach (var edge in edges)
        {
            // A label sits where its edge is alone: towards the target on a fan-out, towards the source on a fan-in.
            var labelAt = fanOut[edge.Source] > 1 ? 0.72 : fanIn[edge.Target] > 1 ? 0.28 : 0.5;
            DrawEdge(svg, boxes[edge.Source], boxes[edge.Target], edge, back.Contains(edge), widest + Margin, labelAt, ref loops);
        }
        foreach (var box in boxes.Values.Where(b => b.Members.Count == 0))
        {
            DrawNode(svg, box, 0);
        }
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static Box Measure(FlowNode node, Dictionary<string, FlowNode> byId)
    {
        if (node.Members is not { } members)
        {
            return new Box(node, TextWidth(Label(node)), NodeHeight);
        }
        var group = new Box(node, 0, 0);
        foreach (var member in members.Where(byId.ContainsKey))
        {
            group.Members.Add(new Box(byId[member], TextWidth(byId[member].Label), MemberHeight));
        }
        if (node.Callback is { } callback && byId.TryGetValue(callback, out var callbackNode))
        {
            group.Callback = new Box(callbackNode, TextWidth(callbackNode.Label), MemberHeight);
        }
        var membersWidth = group.Members.Sum(m => m.W) + NodeGap / 2 * Math.Max(0, group.Members.Count - 1);
        group.W = Math.Max(Math.Max(membersWidth, group.Callback?.W ?? 0), GroupCaption(node).Length * CharWidth) + 2 * GroupPad;
        group.H = GroupTitle + GroupPad + MemberHeight + (group.Callback is null ? 0 : NodeGap + MemberHeight) + GroupPad;
        return group;
    }

    private static void PlaceMembers(Box group)
    {
        if (group.Members.Count == 0)
        {
            return;
        }
        var membersWidth = group.Members.Sum(m => m.W) + NodeGap / 2 * (group.Members.Count - 1);
        var x = group.X + (group.W - membersWidth) / 2;
        var y = group.Y + GroupTitle + GroupPad;
        foreach (var member in group.Members)
        {
            member.X = x;
            member.Y = y;
            x += member.W + NodeGap / 2;
        }
        if (group.Callback is { } callback)
        {
            callback.X = group.X + (group.W - callback.W) / 2;
            callback.Y = y + MemberHeight + NodeGap;
        }
    }

    /// <summary>Longest-path layers over the edges that are not back edges (found by a depth-first walk from the initial nodes).</summary>
    private static (Dictionary<string, int> Layers, HashSet<FlowEdge> Back) Layer(List<FlowNode> nodes, List<FlowEdge> edges)
    {
        var outgoing = edges.GroupBy(e => e.Source, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        var back = new HashSet<FlowEdge>();
        var postOrder = new List<string>();

        void Visit(string id)
        {
            state[id] = 1;
            foreach (var edge in outgoing.GetValueOrDefault(id) ?? [])
            {
                switch (state.GetValueOrDefault(edge.Target))
                {
                    case 1:
                        back.Add(edge);
                        break;
                    case 0:
                        Visit(edge.Target);
                        break;
                }
            }
            state[id] = 2;
            postOrder.Add(id);
        }

        foreach (var node in nodes.Where(n => n.Initial).Concat(nodes.Where(n => !n.Initial)))
        {
            if (state.GetValueOrDefault(node.Id) == 0)
            {
                Visit(node.Id);
            }
        }
        var layers = nodes.ToDictionary(n => n.Id, _ => 0, StringComparer.Ordinal);
        for (var i = postOrder.Count - 1; i >= 0; i--)
        {
            foreach (var edge in outgoing.GetValueOrDefault(postOrder[i]) ?? [])
            {
                if (!back.Contains(edge))
                {
                    layers[edge.Target] = Math.Max(layers[edge.Target], layers[edge.Source] + 1);
                }
            }
        }
        return (layers, back);
    }

    private static void DrawGroup(StringBuilder svg, Box group)
    {
        svg.Append("<g><title>").Append(Html(Tooltip(group.Node))).Append("</title>")
            .Append("<rect class=\"group ").Append(group.Node.State ?? "").Append("\" x=\"").Append(N(group.X)).Append("\" y=\"").Append(N(group.Y))
            .Append("\" width=\"").Append(N(group.W)).Append("\" height=\"").Append(N(group.H)).Append("\" rx=\"8\"/>")
            .Append("<text class=\"caption\" x=\"").Append(N(group.X + GroupPad)).Append("\" y=\"").Append(N(group.Y + GroupTitle - 4)).Append("\">")
            .Append(Html(GroupCaption(group.Node))).Append("</text></g>\n");
        if (group.Callback is { } callback)
        {
            foreach (var member in group.Members)
            {
                svg.Append("<path class=\"chord\" marker-end=\"url(#arrow)\" d=\"M").Append(N(member.CenterX)).Append(',').Append(N(member.Bottom))
                    .Append(" L").Append(N(callback.CenterX)).Append(',').Append(N(callback.Y)).Append("\"/>\n");
            }
        }
        foreach (var member in group.Members.Append(group.Callback).OfType<Box>())
        {
            DrawNode(svg, member, 1);
        }
    }

    private static void DrawNode(StringBuilder svg, Box box, int depth)
    {
        var node = box.Node;
        var round = node.Kind is FlowNodeKinds.Start or FlowNodeKinds.Stop ? box.H / 2 : 6;
        var classes = "node" + (node.Human ? " human" : "") + (node.State is { } state ? " " + state : "");
        svg.Append(depth == 0 ? "" : "  ").Append("<g><title>").Append(Html(Tooltip(node))).Append("</title>")
            .Append("<rect class=\"").Append(classes).Append("\" x=\"").Append(N(box.X)).Append("\" y=\"").Append(N(box.Y))
            .Append("\" width=\"").Append(N(box.W)).Append("\" height=\"").Append(N(box.H)).Append("\" rx=\"").Append(N(round)).Append("\"/>")
            .Append("<text x=\"").Append(N(box.CenterX)).Append("\" y=\"").Append(N(box.CenterY)).Append("\" text-anchor=\"middle\" dominant-baseline=\"central\">")
            .Append(Html(Label(node))).Append("</text></g>\n");
    }

    private static void DrawEdge(StringBuilder svg, Box source, Box target, FlowEdge edge, bool isBack, double right, double labelAt, ref int loops)
    {
        string path;
        double labelX, labelY;
        if (!isBack && target.Y > source.Bottom)
        {
            var (x1, y1, x2, y2) = (source.CenterX, source.Bottom, target.CenterX, target.Y);
            var bend = (y2 - y1) / 2;
            path = $"M{N(x1)},{N(y1)} C{N(x1)},{N(y1 + bend)} {N(x2)},{N(y2 - bend)} {N(x2)},{N(y2)}";
            (labelX, labelY) = (Bezier(x1, x1, x2, x2, labelAt), Bezier(y1, y1 + bend, y2 - bend, y2, labelAt));
        }
        else
        {
            // Back edges (loops) and edges within a row go round the right-hand side.
            loops++;
            var outX = Math.Max(right, Math.Max(source.Right, target.Right)) + 14 + 10 * (loops % 6);
            var (x1, y1, x2, y2) = (source.Right, source.CenterY, target.Right, target.CenterY);
            if (ReferenceEquals(source, target))
            {
                y1 -= 8;
                y2 += 8;
            }
            path = $"M{N(x1)},{N(y1)} C{N(outX)},{N(y1)} {N(outX)},{N(y2)} {N(x2)},{N(y2)}";
            (labelX, labelY) = (outX - 4, (y1 + y2) / 2);
        }
        svg.Append("<path class=\"edge\" marker-end=\"url(#arrow)\" d=\"").Append(path).Append("\"/>\n");
        if ((edge.Condition ?? edge.Event) is { } label)
        {
            svg.Append("<text class=\"label\" x=\"").Append(N(labelX)).Append("\" y=\"").Append(N(labelY))
                .Append("\" text-anchor=\"middle\" dominant-baseline=\"central\">").Append(Html(label)).Append("</text>\n");
        }
    }

    private static double Bezier(double p0, double p1, double p2, double p3, double t) =>
        Math.Pow(1 - t, 3) * p0 + 3 * Math.Pow(1 - t, 2) * t * p1 + 3 * (1 - t) * t * t * p2 + Math.Pow(t, 3) * p3;

    private static string Label(FlowNode node) =>
        node.Label + (node.Initial && node.Kind == FlowNodeKinds.Step ? " ▶" : "") + (node.Terminal && node.Kind == FlowNodeKinds.Step ? " ■" : "");

    private static string GroupCaption(FlowNode node) =>
        node.Kind == FlowNodeKinds.Race ? $"{node.Label} (race)" : $"{node.Label} (parallel, at most {node.Concurrency})";

    private static string Tooltip(FlowNode node) =>
        $"{node.Id}: {node.Kind}{(node.Human ? ", human" : "")}{(node.Concurrency is { } c ? $", concurrency {c}" : "")}{(node.State is { } s ? $", {s}" : "")}";

    private static double TextWidth(string text) => Math.Max(96, text.Length * CharWidth + 28);

    private static string N(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private static string Html(string text) => WebUtility.HtmlEncode(text);
}
