using System.Globalization;
using System.Text.Json.Nodes;

namespace Workflows.Serialization;

/// <summary>
/// Dotted paths over JSON objects (<c>legal_approval.approved</c>, <c>items.0.name</c>): the one addressing
/// scheme of inputs, run state and the graph context.
/// </summary>
public static class JsonPath
{
    /// <summary>The node at <paramref name="path"/>, or null when any segment is missing.</summary>
    public static JsonNode? Get(JsonNode? root, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var node = root;
        foreach (var segment in path.Split('.'))
        {
            node = node switch
            {
                JsonObject obj => obj.TryGetPropertyValue(segment, out var child) ? child : null,
                JsonArray array when int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var i)
                    && i < array.Count => array[i],
                _ => null,
            };
            if (node is null)
            {
                return null;
            }
        }
        return node;
    }

    /// <summary>
    /// Sets the value at <paramref name="path"/>, creating intermediate objects. A segment that crosses a
    /// non-object value is an error rather than a silent overwrite.
    /// </summary>
    public static void Set(JsonObject root, string path, JsonNode? value)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var segments = path.Split('.');
        var current = root;
        for (var i = 0; i < segments.Length - 1; i++)
        {
            var segment = segments[i];
            if (!current.TryGetPropertyValue(segment, out var child) || child is null)
            {
                child = new JsonObject();
                current[segment] = child;
            }
            current = child as JsonObject ?? throw new InvalidOperationException(
                $"Cannot set '{path}': '{string.Join('.', segments[..(i + 1)])}' holds a {child.GetValueKind()}, not an object.");
        }
        current[segments[^1]] = value;
    }

    /// <summary>Removes the value at <paramref name="path"/>; true when something was removed.</summary>
    public static bool Remove(JsonObject root, string path)
    {
        var lastDot = path.LastIndexOf('.');
        var parent = lastDot < 0 ? root : Get(root, path[..lastDot]) as JsonObject;
        return parent is not null && parent.Remove(path[(lastDot + 1)..]);
    }
}
