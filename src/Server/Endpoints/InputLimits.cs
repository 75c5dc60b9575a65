using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Workflows.Server.Hosting;

namespace Workflows.Server.Endpoints;

/// <summary>
/// The size limits on values inside a body (<see cref="WorkflowServerOptions.MaxStringLength"/>,
/// <see cref="WorkflowServerOptions.MaxArrayLength"/>): a run's input is stored, streamed and copied into every step,
/// so one huge string or list must not slip in under the body size limit's radar. Depth is limited by the JSON reader.
/// </summary>
internal static class InputLimits
{
    /// <summary>A problem lists at most this many values.</summary>
    private const int MaxReported = 20;

    /// <summary>Every value of <paramref name="node"/> over the limits, by JSON pointer (under <paramref name="pointer"/>); empty when none.</summary>
    public static IReadOnlyList<(string Pointer, string Message)> Check(JsonNode? node, string pointer, WorkflowServerOptions limits)
    {
        var found = new List<(string, string)>();
        Visit(node, pointer, limits, found);
        return found;
    }

    private static void Visit(JsonNode? node, string pointer, WorkflowServerOptions limits, List<(string, string)> found)
    {
        if (found.Count >= MaxReported)
        {
            return;
        }
        switch (node)
        {
            case JsonObject members:
                foreach (var (name, value) in members)
                {
                    var at = pointer + "/" + name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
                    if (name.Length > limits.MaxStringLength)
                    {
                        found.Add((pointer, $"has a property name of {name.Length} characters; the limit is {limits.MaxStringLength} (Workflows:Server:MaxStringLength)."));
                        continue;
                    }
                    Visit(value, at, limits, found);
                }
                break;
            case JsonArray items:
                if (items.Count > limits.MaxArrayLength)
                {
                    found.Add((pointer, $"has {items.Count} items; the limit is {limits.MaxArrayLength} (Workflows:Server:MaxArrayLength)."));
                    break;
                }
                for (var i = 0; i < items.Count; i++)
                {
                    Visit(items[i], pointer + "/" + i.ToString(CultureInfo.InvariantCulture), limits, found);
                }
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() is { } text && text.Length > limits.MaxStringLength:
                found.Add((pointer, $"is {text.Length} characters long; the limit is {limits.MaxStringLength} (Workflows:Server:MaxStringLength)."));
                break;
        }
    }
}
