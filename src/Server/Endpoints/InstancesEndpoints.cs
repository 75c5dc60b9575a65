using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Workflows.Server.Endpoints.Contracts;
using Workflows.Server.Endpoints.Graphs;
using Workflows.Server.Security;

namespace Workflows.Server.Endpoints;

/// <summary>Runs (instances): start, list, count, read, draw, cancel, send events. The event stream is in <see cref="EventStreamEndpoints"/>.</summary>
public static class InstancesEndpoints
{
    /// <summary>How long cancel waits for the run to reach its end before answering with the run as it is.</summary>
    private static readonly TimeSpan s_cancelPatience = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Maps <c>POST /api/workflows/{name}/instances</c> and <c>GET /api/instances</c>, <c>GET /api/instances/counts</c>, <c>GET /api/instances/{id}</c>,
    /// <c>GET /api/instances/{id}/graph</c>, <c>POST /api/instances/{id}/cancel</c>, <c>POST /api/instances/{id}/events</c>.
    /// </summary>
    public static IEndpointRouteBuilder MapInstancesApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/workflows/{name}/instances", StartInstance)
            .WithTags("Instances")
            .WithName("StartInstance")
            .WithSummary("Start a run")
            .WithDescription("Starts a run of the latest version (or body.version) with body.input. 201 + Location + the summary; with ?wait=SECONDS " +
                "waits up to SECONDS for the end: 200 with the finished run, or 202 with the summary if it is still running. 409 when body.correlationId " +
                "is taken (existingInstanceId names that run). Needs runs:start; rate-limited per caller (429 with Retry-After).")
            .RequireAuthorization(Permissions.RunsStart)
            .RequireRateLimiting(RateLimits.RunStarts)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        var api = endpoints.MapGroup("/api/instances").WithTags("Instances");
        api.MapGet("", ListInstances)
            .RequireAuthorization(Permissions.RunsRead)
            .WithName("ListInstances")
            .WithSummary("List runs")
            .WithDescription("Newest first; the filters combine. Pass nextCursor back as ?cursor= for the next page.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapGet("/counts", CountInstances)
            .RequireAuthorization(Permissions.RunsRead)
            .WithName("CountInstances")
            .WithSummary("Count runs by status")
            .WithDescription("How many runs there are, in all and in each status (every status present, 0 when none), over every run the server " +
                "knows: all stored runs when it has a database, the runs it retains in memory otherwise (Workflows:Engine:RetainedRuns). " +
                "?workflow= counts one workflow's runs (404 when no such workflow is registered).")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/{id}", GetInstance)
            .RequireAuthorization(Permissions.RunsRead)
            .WithName("GetInstance")
            .WithSummary("Get one run")
            .WithDescription("Status, input, state, result, error {step, type, message}, every step attempt, open tasks, timestamps, version.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/{id}/graph", GetInstanceGraph)
            .RequireAuthorization(Permissions.RunsRead)
            .WithName("GetInstanceGraph")
            .WithSummary("Draw a run")
            .WithDescription("The workflow's drawing coloured by this run's step states (done, running, waiting, failed, skipped, canceled). " +
                "format=json (default), mermaid (text/plain) or html (a page that renders offline).")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/{id}/cancel", CancelInstance)
            .RequireAuthorization(Permissions.RunsCancel)
            .WithName("CancelInstance")
            .WithSummary("Cancel a run")
            .WithDescription("Asks the run to end as canceled and answers with the run once it has ended. 409 when it had already ended.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/{id}/events", SendEvent)
            .RequireAuthorization(Permissions.RunsStart)
            .WithName("SendInstanceEvent")
            .WithSummary("Send an external event into a run")
            .WithDescription("For event-driven runs whose workflow lists the type in externalEvents. 202 once the run has recorded it; " +
                "400 unknown type or data that does not fit it; 409 when the run has ended; 503 when the run did not record it within " +
                "Workflows:Server:EventPostTimeoutSeconds. Needs runs:start.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return endpoints;
    }

    internal static async Task<Results<Created<InstanceSummary>, Ok<InstanceDetail>, Accepted<InstanceSummary>, ProblemHttpResult>> StartInstance(
        [Description("The workflow's registered name.")] string name,
        [Description("Wait up to this many seconds for the run to end: 200 with the finished run, else 202.")] double? wait,
        [Description("{input, version?, correlationId?}; may be empty to start with no input.")] StartInstanceRequest? request,
        [AsParameters] ServerServices services,
        HttpRequest httpRequest,
        HttpResponse response,
        CancellationToken cancellationToken)
    {
        var version = string.IsNullOrWhiteSpace(request?.Version) ? null : request.Version.Trim();
        var correlationId = request?.CorrelationId;
        var maxWait = services.Options.Value.MaxWaitSeconds;
        if (wait is { } seconds && (double.IsNaN(seconds) || seconds < 0 || seconds > maxWait))
        {
            return Problems.InvalidParameter("wait", $"must be between 0 and {maxWait} seconds.");
        }
        if (request is null && JsonBodyChecks.HasBody(httpRequest))
        {
            return Problems.InvalidField("", "must be a JSON object ({input, version, correlationId}), or no body at all.");
        }
        if (request is { InputSent: true, Input: null })
        {
            return Problems.InvalidField("/input", "is null: it must be an object, or omitted for no input.");
        }
        var input = JsonBodyChecks.Inspect(request?.Input, "/input", services.Options.Value);
        if (input.Unstorable is { } unstorable)
        {
            return Problems.InvalidField(unstorable, JsonBodyChecks.UnstorableString);
        }
        if (request?.Version is { } askedVersion && !JsonBodyChecks.IsStorable(askedVersion))
        {
            return Problems.InvalidField("/version", JsonBodyChecks.UnstorableString);
        }
        if (correlationId is not null && (string.IsNullOrWhiteSpace(correlationId) || correlationId.Length > 200 || correlationId.Any(char.IsControl)
            || !JsonBodyChecks.IsStorable(correlationId)))
        {
            return Problems.InvalidField("/correlationId", "must be 1 to 200 characters, without control characters, or omitted.");
        }
        if (input.OverLimits.Count > 0)
        {
            return Problems.OverLimits(input.OverLimits);
        }
        if (services.Registry.Find(name, version) is null)
        {
            return WorkflowsEndpoints.NotFound(services.Registry, name, version);
        }

        RunHandle run;
        try
        {
            run = await services.Engine.StartWorkflowAsync(name, request?.Input ?? [], version, cancellationToken, correlationId);
        }
        catch (DuplicateCorrelationException error)
        {
            return Problems.DuplicateCorrelation(error);
        }
        catch (KeyNotFoundException)
        {
            return WorkflowsEndpoints.NotFound(services.Registry, name, version);
        }
        catch (ArgumentException error)
        {
            return Problems.InvalidInput(name, error);
        }

        var location = $"/api/instances/{run.RunId}";
        if (wait is { } patience)
        {
            try
            {
                await run.Outcome.WaitAsync(TimeSpan.FromSeconds(patience), cancellationToken);
                if (await services.Engine.GetRunAsync(run.RunId, cancellationToken) is { } finished)
                {
                    response.Headers.Location = location;
                    return TypedResults.Ok(InstanceDetail.From(finished, services.Time.GetUtcNow()));
                }
            }
            catch (TimeoutException)
            {
                return TypedResults.Accepted(location, await SummaryAsync(services.Engine, run, cancellationToken));
            }
        }
        return TypedResults.Created(location, await SummaryAsync(services.Engine, run, cancellationToken));
    }

    internal static async Task<Results<Ok<InstancePage>, ProblemHttpResult>> ListInstances(
        [AsParameters] InstanceListQuery query,
        LocalExecutionEngine engine,
        CancellationToken cancellationToken)
    {
        if (!ListParameters.TryReadStatus<RunStatus>(query.Status, s => s.ToWireName(), out var status, out var problem)
            || !ListParameters.TryReadLimit(query.Limit, out var limit, out problem)
            || !ListParameters.TryReadCursor(query.Cursor, out var after, out problem))
        {
            return problem!;
        }
        var page = await engine.ListRunsAsync(new RunListQuery
        {
            Workflow = string.IsNullOrWhiteSpace(query.Workflow) ? null : query.Workflow,
            Status = status,
            CorrelationId = string.IsNullOrEmpty(query.CorrelationId) ? null : query.CorrelationId,
            Limit = limit,
            After = after is { } cursor ? new RunCursor(cursor.CreatedAt, cursor.Id) : null,
        }, cancellationToken);
        return TypedResults.Ok(new InstancePage(
            page.Items.Select(InstanceSummary.From).ToArray(),
            page.NextCursor is { } next ? PageCursor.Encode(next.CreatedAt, next.Id) : null));
    }

    internal static async Task<Results<Ok<InstanceCounts>, ProblemHttpResult>> CountInstances(
        [Description("Only the runs of this workflow (a registered name).")] string? workflow,
        LocalExecutionEngine engine,
        CancellationToken cancellationToken)
    {
        var only = string.IsNullOrWhiteSpace(workflow) ? null : workflow.Trim();
        if (only is not null && engine.Registry.Find(only) is null)
        {
            return Problems.WorkflowNotFound(only);
        }
        return TypedResults.Ok(InstanceCounts.From(await engine.CountRunsAsync(only, cancellationToken)));
    }

    internal static async Task<Results<Ok<InstanceDetail>, ProblemHttpResult>> GetInstance(
        [Description("The instance id.")] string id,
        [AsParameters] ServerServices services,
        CancellationToken cancellationToken) =>
        await services.Engine.GetRunAsync(id, cancellationToken) is { } run
            ? TypedResults.Ok(InstanceDetail.From(run, services.Time.GetUtcNow()))
            : Problems.InstanceNotFound(id);

    internal static async Task<Results<Ok<FlowGraph>, ContentHttpResult, ProblemHttpResult>> GetInstanceGraph(
        [Description("The instance id.")] string id,
        [Description("json (default), mermaid or html.")] string? format,
        [Description("With format=html: only the drawing and its legend, for a frame in another page (the run page uses it).")] bool? embed,
        LocalExecutionEngine engine,
        CancellationToken cancellationToken)
    {
        if (!GraphRendering.TryParseFormat(format, out var parsed))
        {
            return Problems.UnknownFormat(format!);
        }
        if (await engine.DrawRunAsync(id, cancellationToken) is not { } graph)
        {
            return Problems.InstanceNotFound(id);
        }
        var status = engine.FindRun(id)?.Status.ToWireName();
        return GraphRendering.Render(graph, parsed, $"{graph.Workflow} {graph.Version}: instance {id}",
            status is null ? null : $"Status when drawn: {status}. Reload to redraw.", embed == true);
    }

    internal static async Task<Results<Ok<InstanceDetail>, ProblemHttpResult>> CancelInstance(
        [Description("The instance id.")] string id,
        [Description("{reason?}; may be empty.")] CancelInstanceRequest? request,
        [AsParameters] ServerServices services,
        HttpRequest httpRequest,
        CancellationToken cancellationToken)
    {
        if (request is null && JsonBodyChecks.HasBody(httpRequest))
        {
            return Problems.InvalidField("", "must be a JSON object ({reason}), or no body at all.");
        }
        if (request?.Reason is { } reason && !JsonBodyChecks.IsStorable(reason))
        {
            return Problems.InvalidField("/reason", JsonBodyChecks.UnstorableString);
        }
        var engine = services.Engine;
        if (engine.FindRun(id) is not { } run)
        {
            // Not in memory: either unknown, or ended before this process started (every unfinished run is resumed).
            return await engine.GetRunAsync(id, cancellationToken) is { } stored
                ? Problems.InstanceEnded(id, stored.Summary.Status)
                : Problems.InstanceNotFound(id);
        }
        if (!run.Cancel(string.IsNullOrWhiteSpace(request?.Reason) ? "canceled through the API" : request.Reason))
        {
            return Problems.InstanceEnded(id, run.Status);
        }
        try
        {
            await run.Outcome.WaitAsync(s_cancelPatience, cancellationToken);
        }
        catch (TimeoutException)
        {
            // Answer with the run as it is; the stream shows the end when it comes.
        }
        return await engine.GetRunAsync(id, cancellationToken) is { } details
            ? TypedResults.Ok(InstanceDetail.From(details, services.Time.GetUtcNow()))
            : Problems.InstanceNotFound(id);
    }

    internal static async Task<Results<Accepted, ProblemHttpResult>> SendEvent(
        [Description("The instance id.")] string id,
        [Description("{type, data}: the event type's name and its fields.")] SendEventRequest request,
        [AsParameters] ServerServices services,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Type))
        {
            return Problems.InvalidField("/type", "is required: the name of one of the workflow's externalEvents.");
        }
        if (!JsonBodyChecks.IsStorable(request.Type))
        {
            return Problems.InvalidField("/type", JsonBodyChecks.UnstorableString);
        }
        var limits = services.Options.Value;
        var data = JsonBodyChecks.Inspect(request.Data, "/data", limits);
        if (data.Unstorable is { } unstorable)
        {
            return Problems.InvalidField(unstorable, JsonBodyChecks.UnstorableString);
        }
        if (data.OverLimits.Count > 0)
        {
            return Problems.OverLimits(data.OverLimits);
        }
        // A busy run takes the event later; the caller is not kept waiting past the limit.
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        patience.CancelAfter(TimeSpan.FromSeconds(limits.EventPostTimeoutSeconds));
        try
        {
            await services.Engine.SendEventAsync(id, request.Type.Trim(), request.Data ?? [], cancellationToken: patience.Token);
        }
        catch (OperationCanceledException) when (patience.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return Problems.EventNotRecorded(id, limits.EventPostTimeoutSeconds);
        }
        catch (RunEndedException error)
        {
            return Problems.InstanceEnded(id, error.Status);
        }
        catch (KeyNotFoundException)
        {
            return Problems.InstanceNotFound(id);
        }
        catch (ArgumentException error)
        {
            return Problems.InvalidEvent(error);
        }
        return TypedResults.Accepted($"/api/instances/{id}");
    }

    private static async Task<InstanceSummary> SummaryAsync(LocalExecutionEngine engine, RunHandle run, CancellationToken cancellationToken) =>
        await engine.GetRunAsync(run.RunId, cancellationToken) is { } details
            ? InstanceSummary.From(details.Summary)
            : throw new InvalidOperationException($"Run {run.RunId} was started but cannot be read back.");
}
