using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Workflows.Tests.Shared;

namespace Workflows.Crash.Tests;

/// <summary>One Server-Sent Events frame as the follower received it.</summary>
internal sealed record SseFrame(long Id, string Event, string Data);

/// <summary>
/// Reads one run's event stream over SSE the way a browser's <c>EventSource</c> does: from the start, and after every
/// cut (the server killed under it) again from the next server with <c>Last-Event-ID</c>, until the terminal item.
/// Every frame must follow the previous one (id + 1); what it received is compared with the final stream at the end.
/// </summary>
internal sealed class StreamFollower(HttpClient http, CrashClient client, string apiKey, string runId, CancellationToken cancellationToken)
{
    private static readonly HashSet<string> s_terminal = [.. ItemStream.TerminalTypes];

    public string RunId => runId;

    /// <summary>Every frame received, in order.</summary>
    public List<SseFrame> Frames { get; } = [];

    /// <summary>Times the stream was opened again with Last-Event-ID after a cut.</summary>
    public int Resumes { get; private set; }

    /// <summary>What went wrong (a gap, a duplicate, an end without the terminal item), or empty.</summary>
    public List<string> Problems { get; } = [];

    /// <summary>Follows until the terminal frame (or the test's end).</summary>
    public async Task RunAsync()
    {
        var last = 0L;
        while (!cancellationToken.IsCancellationRequested)
        {
            var address = await client.WaitUpAsync();
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(address, $"/api/instances/{runId}/events"));
            request.Headers.Accept.ParseAdd("text/event-stream");
            request.Headers.Add(CrashClient.ApiKeyHeader, apiKey);
            if (last > 0)
            {
                request.Headers.Add("Last-Event-ID", last.ToString(CultureInfo.InvariantCulture));
            }
            try
            {
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                if (last > 0)
                {
                    Resumes++;
                }
                if (response.StatusCode == HttpStatusCode.NoContent)
                {
                    // Ended with nothing after the cursor: the terminal item must have been received already.
                    Problems.Add($"stream answered 204 after item {last}, but no terminal item was received");
                    return;
                }
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    Problems.Add($"stream answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
                    return;
                }
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
                while (await NextAsync(reader) is { } frame)
                {
                    if (frame.Id != last + 1)
                    {
                        Problems.Add($"frame {frame.Id} ({frame.Event}) followed frame {last}: {(frame.Id <= last ? "a duplicate" : "a gap")}");
                    }
                    Frames.Add(frame);
                    last = frame.Id;
                    if (s_terminal.Contains(frame.Event))
                    {
                        return;
                    }
                }
                // Closed before the terminal item: the server stopped; resume from the next one.
            }
            catch (Exception error) when (error is HttpRequestException or IOException || (error is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                await Task.Delay(20, cancellationToken);
            }
        }
    }

    /// <summary>Compares what was received with the run's final items (the JSON array): the same items, byte for byte.</summary>
    public IEnumerable<string> CompareWith(IReadOnlyList<JsonObject> items)
    {
        if (Frames.Count != items.Count)
        {
            yield return $"SSE delivered {Frames.Count} frames, the stream has {items.Count} items";
        }
        for (var i = 0; i < Math.Min(Frames.Count, items.Count); i++)
        {
            var frame = Frames[i];
            var item = items[i].ToJsonString();
            var data = JsonNode.Parse(frame.Data)!.ToJsonString();
            if (frame.Id != (long)items[i]["sequence"]! || data != item)
            {
                yield return $"SSE frame {frame.Id} ({frame.Event}) differs from item {items[i]["sequence"]}: {Cut(data)} / {Cut(item)}";
                yield break;
            }
        }
    }

    private static string Cut(string text) => text.Length > 300 ? text[..300] + "…" : text;

    // A frame cut off by a kill is discarded, as EventSource does; the follower reconnects with Last-Event-ID.
    private async Task<SseFrame?> NextAsync(StreamReader reader) =>
        await SseFrameReader.NextAsync(reader, cancellationToken) is { } frame ? new SseFrame(frame.Id, frame.Event, frame.Data) : null;
}
