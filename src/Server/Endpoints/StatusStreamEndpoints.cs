using System.ComponentModel;
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
            .WithName("GetInstanceStatusStream")
            .WithSummary("Follow every run's status")
            .WithDescription("Server-Sent Events, one 'instance.status' frame per status change of any run from now on (data: instanceId, workflow, " +
                "version, status, previous, item, sequence, timestamp); ': keep-alive' after Workflows:Server:KeepAliveSeconds of silence. " +
                "No history and no ids: list the runs (GET /api/instances) once the stream is open, and again after a reconnect. " +
                "?workflow= keeps one workflow's runs.");
        return endpoints;
    }

    internal static StatusStreamResult GetStatusStream(
        [Description("Only the runs of this workflow.")] string? workflow,
        RunStatusFeed feed,
        [AsParameters] ServerServices services,
        ILoggerFactory loggers) =>
        new(feed, string.IsNullOrWhiteSpace(workflow) ? null : workflow.Trim(), services.Options.Value.KeepAliveInterval,
            loggers.CreateLogger("Workflows.Server.StatusStream"));
}
