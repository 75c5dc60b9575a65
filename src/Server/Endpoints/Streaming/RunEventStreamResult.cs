using System.Reflection;
using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;

namespace Workflows.Server.Endpoints.Streaming;

/// <summary>
/// A run's items as Server-Sent Events: <c>id: &lt;sequence&gt;</c>, <c>event: &lt;type&gt;</c>, <c>data: &lt;json&gt;</c>
/// per frame, flushed one by one; a <c>: keep-alive</c> comment after <paramref name="keepAlive"/> of silence; the
/// response ends after the terminal item. Writes go straight to the connection (no response buffering), so a slow
/// reader holds back only its own writer, never the run, and nothing piles up in memory for it.
/// </summary>
/// <remarks>
/// SseItem (TypedResults.ServerSentEvents) has no comment line, hence this small result. Exception text never
/// reaches the client: a failure while streaming is logged and the connection closed.
/// </remarks>
internal sealed partial class RunEventStreamResult(IAsyncEnumerable<RunFrame> frames, string runId, TimeSpan keepAlive, ILogger logger)
    : IResult, IEndpointMetadataProvider, IStatusCodeHttpResult, IContentTypeHttpResult
{
    public const string ContentType = "text/event-stream";

    private static readonly byte[] s_keepAlive = ": keep-alive\n\n"u8.ToArray();

    int? IStatusCodeHttpResult.StatusCode => StatusCodes.Status200OK;

    string IContentTypeHttpResult.ContentType => ContentType;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        // The stream ends when the client leaves or when the server stops (the client then resumes with Last-Event-ID
        // from the next process), so that an open stream never holds a shutdown up.
        var stopping = httpContext.RequestServices.GetService<IHostApplicationLifetime>()?.ApplicationStopping ?? CancellationToken.None;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(httpContext.RequestAborted, stopping);
        var aborted = linked.Token;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ContentType;
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no"; // proxies such as nginx: pass frames through as they come
        httpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await response.StartAsync(aborted);
        await response.Body.FlushAsync(aborted);

        var sent = 0L;
        var enumerator = frames.GetAsyncEnumerator(aborted);
        Task<bool>? pending = null;
        try
        {
            while (true)
            {
                pending = enumerator.MoveNextAsync().AsTask();
                while (!await WaitAsync(pending, keepAlive, aborted))
                {
                    await response.Body.WriteAsync(s_keepAlive, aborted);
                    await response.Body.FlushAsync(aborted);
                }
                var more = await pending;
                pending = null;
                if (!more)
                {
                    break;
                }
                await response.Body.WriteAsync(Encode(enumerator.Current, runId), aborted);
                await response.Body.FlushAsync(aborted);
                sent = enumerator.Current.Sequence;
            }
            LogEnded(logger, runId, sent);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested && !httpContext.RequestAborted.IsCancellationRequested)
        {
            LogServerStopping(logger, runId, sent);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            LogClientLeft(logger, runId, sent);
        }
        catch (Exception error) when (error is IOException or ObjectDisposedException)
        {
            LogClientLeft(logger, runId, sent);
        }
        catch (Exception error)
        {
            LogFailed(logger, error, runId, sent);
            httpContext.Abort();
        }
        finally
        {
            if (pending is not null)
            {
                // An async iterator may not be disposed while a MoveNextAsync is running: the request's token has
                // ended it (or is about to), so wait for it and ignore how it ended.
                await pending.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
            await enumerator.DisposeAsync();
        }
    }

    /// <summary>One frame; <c>data</c> is the item's JSON with <c>instanceId</c> added first (one <c>data:</c> line per line of JSON).</summary>
    internal static byte[] Encode(RunFrame frame, string runId)
    {
        var text = new StringBuilder(frame.Json.Length + runId.Length + 64);
        text.Append("id: ").Append(frame.Sequence).Append('\n');
        text.Append("event: ").Append(frame.Type).Append('\n');
        foreach (var line in WithInstanceId(frame.Json, runId).Split('\n'))
        {
            text.Append("data: ").Append(line.TrimEnd('\r')).Append('\n');
        }
        text.Append('\n');
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>Adds <c>"instanceId": runId</c> as the first member of the item's JSON object.</summary>
    internal static string WithInstanceId(string json, string runId)
    {
        var open = json.IndexOf('{', StringComparison.Ordinal);
        if (open < 0)
        {
            return json;
        }
        var member = $"\"instanceId\":{System.Text.Json.JsonSerializer.Serialize(runId)}";
        var rest = json[(open + 1)..];
        return string.Concat(json.AsSpan(0, open + 1), member, rest.TrimStart().StartsWith('}') ? "" : ",", rest);
    }

    /// <summary>True when <paramref name="task"/> completed within <paramref name="timeout"/>; false to send a keep-alive first.</summary>
    private static async Task<bool> WaitAsync(Task task, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (task.IsCompleted)
        {
            return true;
        }
        using var delayCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(timeout, delayCancellation.Token);
        var first = await Task.WhenAny(task, delay);
        await delayCancellation.CancelAsync();
        cancellationToken.ThrowIfCancellationRequested();
        return first == task;
    }

    static void IEndpointMetadataProvider.PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(string), [ContentType]));

    [LoggerMessage(Level = LogLevel.Debug, Message = "Event stream of run {RunId} ended after its terminal item ({Sequence}).")]
    private static partial void LogEnded(ILogger logger, string runId, long sequence);

    [LoggerMessage(Level = LogLevel.Debug, Message = "A reader of run {RunId}'s event stream left after item {Sequence}.")]
    private static partial void LogClientLeft(ILogger logger, string runId, long sequence);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Event stream of run {RunId} closed after item {Sequence}: the server is stopping.")]
    private static partial void LogServerStopping(ILogger logger, string runId, long sequence);

    [LoggerMessage(Level = LogLevel.Error, Message = "Event stream of run {RunId} failed after item {Sequence}; the connection was closed.")]
    private static partial void LogFailed(ILogger logger, Exception error, string runId, long sequence);
}
