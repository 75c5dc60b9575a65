using System.Runtime.CompilerServices;
using System.Text;

namespace Workflows.Server.Endpoints.Streaming;

/// <summary>
/// The bytes of a run's SSE frames: <c>id: &lt;sequence&gt;</c>, <c>event: &lt;type&gt;</c>, one <c>data:</c> line per
/// line of the item's JSON with <c>instanceId</c> added first, then a blank line.
/// </summary>
/// <remarks>
/// The engine hands every follower of a live run the same <see cref="RunFrame"/> instance per item, so the bytes are
/// kept beside that instance (<see cref="ConditionalWeakTable{TKey,TValue}"/>: they live exactly as long as the frame)
/// and encoded once per item, not once per subscriber.
/// </remarks>
internal static class SseFrames
{
    private static readonly ConditionalWeakTable<RunFrame, byte[]> s_encoded = new();

    /// <summary>The frame's bytes, encoded by the first subscriber that sends it and shared with the others.</summary>
    /// <remarks>A frame belongs to one run, so <paramref name="runId"/> is the same for every caller with that frame.</remarks>
    public static byte[] Shared(RunFrame frame, string runId) =>
        s_encoded.TryGetValue(frame, out var bytes) ? bytes : s_encoded.GetOrAdd(frame, Encode(frame, runId));

    /// <summary>One frame; <c>data</c> is the item's JSON with <c>instanceId</c> added first (one <c>data:</c> line per line of JSON).</summary>
    public static byte[] Encode(RunFrame frame, string runId)
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
    public static string WithInstanceId(string json, string runId)
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
}
