using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Workflows.Server.Endpoints.Streaming;

namespace Workflows.Server.Endpoints;

/// <summary><c>GET /api/instances/events</c>: every run's status changes on one Server-Sent Events stream.</summary>
public static class StatusStreamEndpoints
{
    /// <summary>Maps <c>GET /api/instances/events</c>.</summary>
    public static IEndpointRouteBuilder MapStatusStreamApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/instances/events", GetStatusStream)
            .WithTags("Instances")
            .RequireAuthorization(Security.Permissions.RunsRead)
            .WithName("GetInstanceStatusStream")
            .WithSummary("Follow every run's status")
            .WithDescription("Server-Sent Events, one 'instance.status' frame per status change of any run from now on (data: instanceId, workflow, " +
                "version, status, previous, item, sequence, timestamp); ': keep-alive' after Workflows:Server:KeepAliveSeconds of silence. " +
                "No history and no ids: list the runs (GET /api/instances) once the stream is open, and again after a reconnect. " +
                "?workflow= keeps one workflow's runs (404 when no such workflow is registered).")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return endpoints;
    }

    internal static Results<StatusStreamResult, ProblemHttpResult> GetStatusStream(
        [Description("Only the runs of this workflow (a registered name).")] string? workflow,
        RunStatusFeed feed,
        [AsParameters] ServerServices services,
        ILoggerFactory loggers)
    {
        var only = string.IsNullOrWhiteSpace(workflow) ? null : workflow.Trim();
        if (only is not null && services.Registry.Find(only) is null)
        {
            return Problems.WorkflowNotFound(only);
        }
        return new StatusStreamResult(feed, only, services.Options.Value.KeepAliveInterval, loggers.CreateLogger("Workflows.Server.StatusStream"));
    }
}
