using Microsoft.AspNetCore.Http.Features;

namespace Workflows.Server.Endpoints.Streaming;

/// <summary>What every Server-Sent Events answer of the server shares: its headers, its end, its keep-alive wait.</summary>
internal static class SseResponse
{
    /// <summary>The media type of an event stream.</summary>
    public const string ContentType = "text/event-stream";

    /// <summary>The comment sent after a quiet period, so that proxies and clients see the connection is alive.</summary>
    public static readonly byte[] KeepAlive = ": keep-alive\n\n"u8.ToArray();

    /// <summary>
    /// A token that fires when the client leaves or when the server stops (the client then reconnects to the next
    /// process), so that an open stream never holds a shutdown up.
    /// </summary>
    public static CancellationTokenSource EndToken(HttpContext httpContext)
    {
        var stopping = httpContext.RequestServices.GetService<IHostApplicationLifetime>()?.ApplicationStopping ?? CancellationToken.None;
        return CancellationTokenSource.CreateLinkedTokenSource(httpContext.RequestAborted, stopping);
    }

    /// <summary>200, <c>text/event-stream</c>, no caching and no buffering (by the server or by proxies such as nginx).</summary>
    public static void SetHeaders(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ContentType;
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no"; // pass frames through as they come
        httpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
    }

    /// <summary>True when <paramref name="task"/> completed within <paramref name="timeout"/>; false to send a keep-alive first.</summary>
    public static async Task<bool> WaitAsync(Task task, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!task.IsCompleted)
        {
            // One timer for the wait, no exception when it expires (the keep-alive case).
            await task.WaitAsync(timeout, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        cancellationToken.ThrowIfCancellationRequested();
        return task.IsCompleted;
    }
}
