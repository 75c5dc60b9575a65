using System.Globalization;

namespace Workflows.Tests.Shared;

/// <summary>
/// Reads Server-Sent Events frames the way a browser's <c>EventSource</c> does: <c>id</c>, <c>event</c> and
/// <c>data</c> lines up to a blank line; comments (keep-alives) skipped; a frame cut off by a closed connection
/// discarded. Compiled into each test project that follows event streams (a linked file, not a shared assembly).
/// </summary>
internal static class SseFrameReader
{
    /// <summary>The next frame, or null once the server closed the stream; each comment line goes to <paramref name="comment"/>.</summary>
    public static async Task<(long Id, string Event, string Data)?> NextAsync(TextReader reader, CancellationToken cancellationToken, Action<string>? comment = null)
    {
        long? id = null;
        string? type = null;
        var data = new List<string>();
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Count > 0)
                {
                    return (id ?? -1, type ?? "message", string.Join('\n', data));
                }
                continue;
            }
            if (line.StartsWith(':'))
            {
                comment?.Invoke(line);
                continue;
            }
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..].TrimStart(' ');
            switch (field)
            {
                case "id":
                    id = long.Parse(value, CultureInfo.InvariantCulture);
                    break;
                case "event":
                    type = value;
                    break;
                case "data":
                    data.Add(value);
                    break;
            }
        }
        return null;
    }
}
