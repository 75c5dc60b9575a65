using System.Reflection;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Workflows.Server.Endpoints.Contracts;

namespace Workflows.Server.Endpoints.Streaming;

/// <summary>
/// Run status changes as Server-Sent Events: <c>event: instance.status</c>, <c>data: &lt;json&gt;</c> per change
/// (no <c>id:</c>: there is nothing to resume; a client reloads the run list when it reconnects), a
/// <c>: keep-alive</c> comment after <paramref name="keepAlive"/> of silence. The subscription exists before the
/// response starts, so a client that has its headers misses no change that follows.
/// </summary>
internal sealed partial class StatusStreamResult(RunStatusFeed feed, string? workflow, TimeSpan keepAlive, ILogger logger)
    : IResult, IEndpointMetadataProvider, IStatusCodeHttpResult, IContentTypeHttpResult
{
    /// <summary>The SSE event type of every frame.</summary>
    public const string EventType = "instance.status";

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    int? IStatusCodeHttpResult.StatusCode => StatusCodes.Status200OK;

    string IContentTypeHttpResult.ContentType => RunEventStreamResult.ContentType;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        using var linked = SseResponse.EndToken(httpContext);
        var aborted = linked.Token;
        using var subscription = feed.Subscribe();
        SseResponse.SetHeaders(httpContext);
        var sent = 0;
        try
        {
            await response.StartAsync(aborted);
            await response.Body.FlushAsync(aborted);
            var changes = subscription.Changes;
            while (true)
            {
                var ready = changes.WaitToReadAsync(aborted).AsTask();
                while (!await SseResponse.WaitAsync(ready, keepAlive, aborted))
                {
                    await response.Body.WriteAsync(SseResponse.KeepAlive, aborted);
                    await response.Body.FlushAsync(aborted);
                }
                if (!await ready)
                {
                    break; // dropped (too far behind) or the server stops
                }
                while (changes.TryRead(out var change))
                {
                    if (workflow is null || string.Equals(change.Workflow, workflow, StringComparison.Ordinal))
                    {
                        await response.Body.WriteAsync(change.Bytes, aborted);
                        sent++;
                    }
                }
                await response.Body.FlushAsync(aborted);
            }
            LogEnded(logger, sent);
        }
        catch (Exception error) when (error is OperationCanceledException or IOException or ObjectDisposedException)
        {
            LogClientLeft(logger, sent);
        }
    }

    /// <summary>One frame: <c>event: instance.status</c> and the change as JSON on one <c>data:</c> line.</summary>
    internal static byte[] Encode(InstanceStatusChange change) =>
        Encoding.UTF8.GetBytes($"event: {EventType}\ndata: {JsonSerializer.Serialize(change, s_json)}\n\n");

    static void IEndpointMetadataProvider.PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(string), [RunEventStreamResult.ContentType]));

    [LoggerMessage(Level = LogLevel.Debug, Message = "The run status stream ended after {Count} change(s): the subscriber fell behind or the server is stopping.")]
    private static partial void LogEnded(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Debug, Message = "A reader of the run status stream left after {Count} change(s).")]
    private static partial void LogClientLeft(ILogger logger, int count);
}
