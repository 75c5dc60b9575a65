using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Workflows.Server.Endpoints.Contracts;
using Workflows.Server.Endpoints.Graphs;

namespace Workflows.Server.Endpoints;

/// <summary>The workflow catalogue: <c>/api/workflows</c>, one definition, its drawing.</summary>
public static class WorkflowsEndpoints
{
    /// <summary>Maps <c>GET /api/workflows</c>, <c>GET /api/workflows/{name}</c> and <c>GET /api/workflows/{name}/graph</c>.</summary>
    public static IEndpointRouteBuilder MapWorkflowsApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/workflows").WithTags("Workflows").RequireAuthorization(Security.Permissions.RunsRead);

        api.MapGet("", ListWorkflows)
            .WithName("ListWorkflows")
            .WithSummary("List registered workflows")
            .WithDescription("Every registered definition, latest version each, ordered by name.");
        api.MapGet("/{name}", GetWorkflow)
            .WithName("GetWorkflow")
            .WithSummary("Get one workflow")
            .WithDescription("One definition: steps (type, workers, accepted and emitted events, form, timeout, retry), edges with conditions, " +
                "initial and terminal steps, every registered version. 404 when the name or version is unknown.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/{name}/graph", GetWorkflowGraph)
            .WithName("GetWorkflowGraph")
            .WithSummary("Draw every possible flow of a workflow")
            .WithDescription("format=json (default): the nodes/edges model; mermaid: a Mermaid flowchart (text/plain); html: a page that renders offline.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return endpoints;
    }

    internal static Ok<WorkflowSummary[]> ListWorkflows(WorkflowRegistry registry) =>
        TypedResults.Ok(registry.List().Select(WorkflowSummary.From).ToArray());

    internal static Results<Ok<WorkflowDetail>, ProblemHttpResult> GetWorkflow(
        [Description("The workflow's registered name.")] string name,
        [Description("A registered version; the latest when omitted.")] string? version,
        WorkflowRegistry registry)
    {
        version = string.IsNullOrWhiteSpace(version) ? null : version;
        return registry.Describe(name, version) is { } description
            ? TypedResults.Ok(WorkflowDetail.From(description))
            : NotFound(registry, name, version);
    }

    internal static Results<Ok<FlowGraph>, ContentHttpResult, ProblemHttpResult> GetWorkflowGraph(
        [Description("The workflow's registered name.")] string name,
        [Description("A registered version; the latest when omitted.")] string? version,
        [Description("json (default), mermaid or html.")] string? format,
        [Description("With format=html: only the drawing and its legend, for a frame in another page.")] bool? embed,
        WorkflowRegistry registry)
    {
        version = string.IsNullOrWhiteSpace(version) ? null : version;
        if (!GraphRendering.TryParseFormat(format, out var parsed))
        {
            return Problems.UnknownFormat(format!);
        }
        return registry.DrawAllPossibleFlows(name, version) is { } graph
            ? GraphRendering.Render(graph, parsed, $"{graph.Workflow} {graph.Version}: every possible flow", embed: embed == true)
            : NotFound(registry, name, version);
    }

    /// <summary>404 for an unknown name, or for an unknown version of a known name (listing the registered ones).</summary>
    internal static ProblemHttpResult NotFound(WorkflowRegistry registry, string name, string? version) =>
        registry.Find(name) is { } latest && version is not null
            ? Problems.WorkflowVersionNotFound(name, version, latest.Versions)
            : Problems.WorkflowNotFound(name);
}
