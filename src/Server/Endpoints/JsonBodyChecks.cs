using System.Text.Json;
using System.Text.Json.Nodes;
using Workflows.Server.Hosting;

namespace Workflows.Server.Endpoints;

/// <summary>
/// Checks on JSON a handler received that the framework's binding does not make. A <see cref="JsonNode"/> keeps its
/// strings as the raw bytes of the body until they are read, so invalid UTF-8 or a lone surrogate escape
/// (<c>"\ud800"</c>) would only fail later, deep in the engine or the store (a 500, or a run that cannot be saved);
/// and U+0000 is refused by PostgreSQL's text columns. All three are found here and answered 400 naming the field.
/// </summary>
internal static class JsonBodyChecks
{
    /// <summary>What a string field may not hold, as a problem message.</summary>
    public const string UnstorableString = "is not a valid string: it holds invalid UTF-8, an unpaired surrogate (\\ud800-\\udfff) or U+0000.";

    /// <summary>A problem lists at most this many values over the limits.</summary>
    private const int MaxReported = 20;

    /// <summary>
    /// Walks <paramref name="node"/> once (a run's input, event data or a task answer) for both checks: the first
    /// string or member name that cannot be stored, and every value over the size limits
    /// (<see cref="WorkflowServerOptions.MaxStringLength"/>, <see cref="WorkflowServerOptions.MaxArrayLength"/>; a run's
    /// input is stored, streamed and copied into every step, so one huge string or list must not slip in under the
    /// body size limit). Pointers are under <paramref name="pointer"/>. Depth is limited by the JSON reader.
    /// </summary>
    public static BodyInspection Inspect(JsonNode? node, string pointer, WorkflowServerOptions limits)
    {
        var overLimits = new List<(string, string)>();
        var unstorable = Visit(node, pointer, limits, overLimits, countLimits: true);
        return new BodyInspection(unstorable, overLimits);
    }

    /// <summary>Returns the first unstorable pointer; adds values over the limits (outside subtrees already reported as too big).</summary>
    private static string? Visit(JsonNode? node, string pointer, WorkflowServerOptions limits, List<(string, string)> overLimits, bool countLimits)
    {
        countLimits &= overLimits.Count < MaxReported;
        switch (node)
        {
            case JsonObject obj:
                List<KeyValuePair<string, JsonNode?>> members;
                try
                {
                    members = [.. obj];
                }
                catch (InvalidOperationException)
                {
                    return pointer; // a member name that is not text
                }
                foreach (var (name, value) in members)
                {
                    var child = $"{pointer}/{Problems.PointerToken(name)}";
                    if (!IsStorable(name))
                    {
                        return child;
                    }
                    var nameTooLong = name.Length > limits.MaxStringLength;
                    if (countLimits && nameTooLong && overLimits.Count < MaxReported)
                    {
                        overLimits.Add((pointer, $"has a property name of {name.Length} characters; the limit is {limits.MaxStringLength} (Workflows:Server:MaxStringLength)."));
                    }
                    if (Visit(value, child, limits, overLimits, countLimits && !nameTooLong) is { } found)
                    {
                        return found;
                    }
                }
                return null;
            case JsonArray array:
                var tooMany = array.Count > limits.MaxArrayLength;
                if (countLimits && tooMany)
                {
                    overLimits.Add((pointer, $"has {array.Count} items; the limit is {limits.MaxArrayLength} (Workflows:Server:MaxArrayLength)."));
                }
                for (var i = 0; i < array.Count; i++)
                {
                    if (Visit(array[i], $"{pointer}/{i}", limits, overLimits, countLimits && !tooMany) is { } found)
                    {
                        return found;
                    }
                }
                return null;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                string text;
                try
                {
                    text = value.GetValue<string>();
                }
                catch (InvalidOperationException)
                {
                    return pointer; // invalid UTF-8 or an unpaired surrogate escape
                }
                if (!IsStorable(text))
                {
                    return pointer;
                }
                if (countLimits && text.Length > limits.MaxStringLength)
                {
                    overLimits.Add((pointer, $"is {text.Length} characters long; the limit is {limits.MaxStringLength} (Workflows:Server:MaxStringLength)."));
                }
                return null;
            default:
                return null;
        }
    }

    /// <summary>False for text with U+0000 or an unpaired surrogate (a typed string field binds either without complaint).</summary>
    public static bool IsStorable(string text) => Workflows.Persistence.StorableText.IsStorable(text);

    /// <summary>True when the request carried a body (so a null bound from it was the JSON literal <c>null</c>).</summary>
    public static bool HasBody(HttpRequest request) =>
        request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);
}

/// <summary>What <see cref="JsonBodyChecks.Inspect"/> found in a body's JSON.</summary>
/// <param name="Unstorable">The pointer of the first string or member name that cannot be stored, or null.</param>
/// <param name="OverLimits">Every value over the size limits (at most 20), by pointer; empty when none.</param>
internal sealed record BodyInspection(string? Unstorable, IReadOnlyList<(string Pointer, string Message)> OverLimits);
