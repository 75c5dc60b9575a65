using System.ComponentModel;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
using Workflows.Server.Endpoints.Streaming;

namespace Workflows.Server.Endpoints;

/// <summary><c>GET /api/instances/{id}/events</c>: a run's item stream, as Server-Sent Events or as a JSON array.</summary>
public static class EventStreamEndpoints
{
    /// <summary>The request header a reconnecting SSE client sends with the last id it received.</summary>
    public const string LastEventIdHeader = "Last-Event-ID";

    /// <summary>Maps <c>GET /api/instances/{id}/events</c>.</summary>
    public static IEndpointRouteBuilder MapEventStreamApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/instances/{id}/events", GetInstanceEvents)
            .WithTags("Instances")
            .RequireAuthorization(Security.Permissions.RunsRead)
            .WithName("GetInstanceEvents")
            .WithSummary("Read a run's event stream")
            .WithDescription("With 'Accept: text/event-stream': Server-Sent Events (id: sequence, event: type, data: the item's JSON with instanceId, " +
                "sequence, timestamp, and for step items step, group, worker, attempt); the whole history, then live items; the stream closes after the " +
                "terminal item (run.completed, run.failed, run.canceled, run.timed_out); ': keep-alive' after Workflows:Server:KeepAliveSeconds of silence. " +
                "Otherwise a JSON array of the items recorded so far. Last-Event-ID or ?after=N resumes after item N (no gap, no duplicate). " +
                "204 when the run has ended and nothing follows the cursor.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return endpoints;
    }

    internal static async Task<Results<RunEventStreamResult, Ok<JsonObject[]>, NoContent, ProblemHttpResult>> GetInstanceEvents(
        [Description("The instance id.")] string id,
        [Description("Resume after this sequence number (0, the default, is the whole history). Last-Event-ID wins when both are sent.")] long? after,
        [FromHeader(Name = LastEventIdHeader), Description("Sent by a reconnecting SSE client: resume after this sequence number.")] string? lastEventId,
        [AsParameters] ServerServices services,
        HttpRequest request,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var cursor = after ?? 0;
        if (cursor < 0)
        {
            return Problems.InvalidParameter("after", "must be 0 or a sequence number (a positive integer).");
        }
        if (!string.IsNullOrWhiteSpace(lastEventId))
        {
            if (!long.TryParse(lastEventId.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out cursor))
            {
                return Problems.InvalidParameter(LastEventIdHeader, "must be the id (a sequence number) of an event this stream sent.");
            }
        }

        var engine = services.Engine;
        long last;
        bool ended;
        if (engine.FindRun(id) is { } run)
        {
            // The terminal flag first: a run that ends in between then streams its last items rather than a stale 204.
            ended = run.Items.IsCompleted;
            last = run.Items.Last?.Sequence ?? run.Items.FirstSequence - 1;
        }
        else if (await engine.GetRunAsync(id, cancellationToken) is { } stored)
        {
            ended = stored.Summary.Status.IsTerminal();
            last = stored.LastSequence;
        }
        else
        {
            return Problems.InstanceNotFound(id);
        }
        if (ended && last <= cursor)
        {
            return TypedResults.NoContent();
        }

        if (WantsEventStream(request))
        {
            var frames = await engine.ReadRunFramesAsync(id, cursor, cancellationToken);
            return frames is null
                ? Problems.InstanceNotFound(id)
                : new RunEventStreamResult(frames, id, services.Options.Value.KeepAliveInterval, loggers.CreateLogger("Workflows.Server.EventStream"));
        }

        // JSON: what is recorded now (up to `last`), without waiting for live items.
        var items = new List<JsonObject>();
        if (last > cursor && await engine.ReadRunFramesAsync(id, cursor, cancellationToken) is { } history)
        {
            await foreach (var frame in history.WithCancellation(cancellationToken))
            {
                items.Add(JsonNode.Parse(SseFrames.WithInstanceId(frame.Json, id))!.AsObject());
                if (frame.Sequence >= last)
                {
                    break;
                }
            }
        }
        return TypedResults.Ok(items.ToArray());
    }

    private static bool WantsEventStream(HttpRequest request) =>
        request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals(RunEventStreamResult.ContentType, StringComparison.OrdinalIgnoreCase));
}
