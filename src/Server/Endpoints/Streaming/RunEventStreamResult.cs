using System.Buffers;
using System.IO.Pipelines;
using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;

namespace Workflows.Server.Endpoints.Streaming;

/// <summary>
/// A run's items as Server-Sent Events: <c>id: &lt;sequence&gt;</c>, <c>event: &lt;type&gt;</c>, <c>data: &lt;json&gt;</c>
/// per frame (<see cref="SseFrames"/>), flushed as soon as no further item is ready; a <c>: keep-alive</c> comment after <paramref name="keepAlive"/> of silence; the
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
    public const string ContentType = SseResponse.ContentType;

    int? IStatusCodeHttpResult.StatusCode => StatusCodes.Status200OK;

    string IContentTypeHttpResult.ContentType => ContentType;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        using var linked = SseResponse.EndToken(httpContext);
        var aborted = linked.Token;
        SseResponse.SetHeaders(httpContext);
        await response.StartAsync(aborted);
        var writer = response.BodyWriter;
        await FlushAsync(writer, aborted);

        var sent = 0L;
        var enumerator = frames.GetAsyncEnumerator(aborted);
        Task<bool>? pending = null;
        try
        {
            var unflushed = 0;
            while (true)
            {
                var next = enumerator.MoveNextAsync();
                bool more;
                if (next.IsCompleted && unflushed < MaxUnflushedBytes)
                {
                    more = next.GetAwaiter().GetResult();
                }
                else
                {
                    // Nothing more is ready (or enough is written): what is written goes out now, before any wait.
                    await FlushAsync(writer, aborted);
                    unflushed = 0;
                    pending = next.AsTask();
                    while (!await SseResponse.WaitAsync(pending, keepAlive, aborted))
                    {
                        writer.Write(SseResponse.KeepAlive);
                        await FlushAsync(writer, aborted);
                    }
                    more = await pending;
                    pending = null;
                }
                if (!more)
                {
                    break;
                }
                var frame = enumerator.Current;
                var bytes = SseFrames.Shared(frame, runId);
                writer.Write(bytes);
                unflushed += bytes.Length;
                sent = frame.Sequence;
            }
            await FlushAsync(writer, aborted);
            LogEnded(logger, runId, sent);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested && !httpContext.RequestAborted.IsCancellationRequested) // the server stops
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
                await ((Task)pending).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
            await enumerator.DisposeAsync();
        }
    }

    /// <summary>
    /// Frames that are ready at the same moment (a history, a commit's items) go out in one flush; a long history is
    /// flushed every this many bytes, so that a slow reader's backlog waits in the engine's log, not in this response.
    /// </summary>
    internal const int MaxUnflushedBytes = 16 * 1024;

    /// <summary>Sends what is written; a reader that has gone ends the stream as if its request were aborted.</summary>
    private static async ValueTask FlushAsync(PipeWriter writer, CancellationToken cancellationToken)
    {
        var flushed = await writer.FlushAsync(cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        if (flushed.IsCompleted || flushed.IsCanceled)
        {
            throw new IOException("The client has gone.");
        }
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
