using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Workflows.Server.Endpoints.Contracts;

namespace Workflows.Server.Endpoints;

/// <summary>The HTTP API: registered workflow definitions (and the health route).</summary>
public static class WorkflowsEndpoints
{
    /// <summary>Maps every route of the API: <c>/api/workflows</c>, <c>/api/workflows/{name}</c> and <c>/health</c>.</summary>
    public static IEndpointRouteBuilder MapWorkflowsApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/workflows").WithTags("Workflows");

        api.MapGet("", ListWorkflows)
            .WithName("ListWorkflows")
            .WithSummary("List registered workflows")
            .WithDescription("Every registered definition, latest version each, ordered by name.");
        api.MapGet("/{name}", GetWorkflow)
            .WithName("GetWorkflow")
            .WithSummary("Get one workflow")
            .WithDescription("One definition: its steps and every registered version. 404 when the name or version is unknown.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        endpoints.MapHealth();
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
        if (registry.Find(name, version) is { } info)
        {
            return TypedResults.Ok(WorkflowDetail.From(info));
        }
        return registry.Find(name) is { } latest && version is not null
            ? Problems.WorkflowVersionNotFound(name, version, latest.Versions)
            : Problems.WorkflowNotFound(name);
    }
}
