using System.Net;
using System.Text.Json;
using Workflows.Tests.Shared;

namespace Workflows.Server.Tests.Support;

/// <summary>One Server-Sent Events frame as a client parses it.</summary>
public sealed record SseFrame(long Id, string Event, string Data)
{
    public JsonElement Json => JsonDocument.Parse(Data).RootElement;
}

/// <summary>
/// A streaming reader of <c>GET /api/instances/{id}/events</c> over a real connection: frames one at a time as
/// they arrive, comments (keep-alives) counted.
/// </summary>
public sealed class SseClient : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private SseClient(HttpResponseMessage response, Stream body)
    {
        _response = response;
        _reader = new StreamReader(body);
    }

    public HttpResponseMessage Response => _response;

    /// <summary>The comment lines received so far (<c>: keep-alive</c>).</summary>
    public List<string> Comments { get; } = [];

    /// <summary>Opens the stream; asserts 200 and <c>text/event-stream</c>.</summary>
    public static async Task<SseClient> OpenAsync(HttpClient client, string runId, long? lastEventId = null, string query = "", CancellationToken cancellationToken = default)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/instances/{runId}/events{query}");
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (lastEventId is { } id)
        {
            request.Headers.Add("Last-Event-ID", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return new SseClient(response, await response.Content.ReadAsStreamAsync(cancellationToken));
    }

    /// <summary>The next frame, or null when the server closed the stream.</summary>
    public async Task<SseFrame?> NextAsync(CancellationToken cancellationToken) =>
        await SseFrameReader.NextAsync(_reader, cancellationToken, Comments.Add) is { } frame ? new SseFrame(frame.Id, frame.Event, frame.Data) : null;

    /// <summary>Every frame until the server closes the stream.</summary>
    public async Task<List<SseFrame>> ReadToEndAsync(CancellationToken cancellationToken)
    {
        var frames = new List<SseFrame>();
        while (await NextAsync(cancellationToken) is { } frame)
        {
            frames.Add(frame);
        }
        return frames;
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        return ValueTask.CompletedTask;
    }
}
