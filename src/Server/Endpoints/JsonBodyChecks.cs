using System.Text.Json;
using System.Text.Json.Nodes;

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

    /// <summary>The JSON pointer (under <paramref name="pointer"/>) of the first string or member name that cannot be stored, or null.</summary>
    public static string? FindUnstorableString(JsonNode? node, string pointer)
    {
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
                    var child = $"{pointer}/{name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal)}";
                    if (!IsStorable(name))
                    {
                        return child;
                    }
                    if (FindUnstorableString(value, child) is { } found)
                    {
                        return found;
                    }
                }
                return null;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (FindUnstorableString(array[i], $"{pointer}/{i}") is { } found)
                    {
                        return found;
                    }
                }
                return null;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                try
                {
                    return IsStorable(value.GetValue<string>()) ? null : pointer;
                }
                catch (InvalidOperationException)
                {
                    return pointer; // invalid UTF-8 or an unpaired surrogate escape
                }
            default:
                return null;
        }
    }

    /// <summary>False for text with U+0000 or an unpaired surrogate (a typed string field binds either without complaint).</summary>
    public static bool IsStorable(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\0')
            {
                return false;
            }
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>True when the request carried a body (so a null bound from it was the JSON literal <c>null</c>).</summary>
    public static bool HasBody(HttpRequest request) =>
        request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);
}
