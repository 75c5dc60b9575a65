using System.Text.Json;
using System.Text.Json.Nodes;
using Workflows.Serialization;

namespace Workflows.Graph;

/// <summary>The outputs of a graph run's completed steps, as JSON, by step name.</summary>
internal sealed class StepOutputs
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, JsonNode?> _outputs = new(StringComparer.Ordinal);

    public static JsonNode? ToJson(object? output) =>
        output is null ? null : JsonSerializer.SerializeToNode(output, output.GetType(), WorkflowJson.Options);

    public void Set(string step, JsonNode? output)
    {
        lock (_gate)
        {
            _outputs[step] = output;
        }
    }

    public bool TryGet(string step, out JsonNode? output)
    {
        lock (_gate)
        {
            return _outputs.TryGetValue(step, out output);
        }
    }

    public IReadOnlyDictionary<string, JsonNode?> Snapshot()
    {
        lock (_gate)
        {
            return _outputs.ToDictionary(p => p.Key, p => p.Value?.DeepClone());
        }
    }
}
