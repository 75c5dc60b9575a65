using Microsoft.AspNetCore.Http.HttpResults;

namespace Workflows.Server.Endpoints.Graphs;

/// <summary>The three answers of the graph routes: the JSON model, Mermaid text, or an offline HTML page.</summary>
internal static class GraphRendering
{
    public const string MermaidContentType = "text/plain";
    public const string HtmlContentType = "text/html";

    public enum Format
    {
        Json,
        Mermaid,
        Html,
    }

    /// <summary>Null or empty means json; case is ignored.</summary>
    public static bool TryParseFormat(string? text, out Format format)
    {
        format = Format.Json;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }
        switch (text.Trim().ToLowerInvariant())
        {
            case "json":
                return true;
            case "mermaid":
                format = Format.Mermaid;
                return true;
            case "html":
                format = Format.Html;
                return true;
            default:
                return false;
        }
    }

    public static Results<Ok<FlowGraph>, ContentHttpResult, ProblemHttpResult> Render(FlowGraph graph, Format format, string title, string? caption = null,
        bool embed = false) =>
        format switch
        {
            Format.Mermaid => TypedResults.Text(graph.ToMermaid(), $"{MermaidContentType}; charset=utf-8"),
            Format.Html => TypedResults.Text(GraphPage.Render(graph, title, caption, embed), $"{HtmlContentType}; charset=utf-8"),
            _ => TypedResults.Ok(graph),
        };
}
