using System.Text.Json;
using System.Text.Json.Nodes;
using Workflows.Serialization;

namespace Workflows.Runtime;

/// <summary>Turns a run's input (an object, a JSON object, or a ready start event) into the workflow's start event.</summary>
internal static class StartEventFactory
{
    public static StartEvent Create(Type startType, object? input)
    {
        if (input is StartEvent ready)
        {
            return startType.IsInstanceOfType(ready) ? ready
                : throw new ArgumentException($"The workflow starts with {startType.Name}, not {ready.GetType().Name}.", nameof(input));
        }
        var json = ToJsonObject(input);
        if (startType == typeof(StartEvent))
        {
            return new StartEvent(json);
        }
        StartEvent ev;
        try
        {
            ev = (StartEvent)(json.Deserialize(startType, WorkflowJson.Options)
                ?? throw new ArgumentException($"The input does not make a {startType.Name}.", nameof(input)));
        }
        catch (JsonException error)
        {
            throw new ArgumentException($"The input does not fit {startType.Name} at '{error.Path}': {error.Message}", nameof(input), error);
        }
        ev.Input = json;
        return ev;
    }

    private static JsonObject ToJsonObject(object? input) => input switch
    {
        null => new JsonObject(),
        JsonObject obj => (JsonObject)obj.DeepClone(),
        JsonElement { ValueKind: JsonValueKind.Object } element => JsonNode.Parse(element.GetRawText())!.AsObject(),
        _ => JsonSerializer.SerializeToNode(input, input.GetType(), WorkflowJson.Options) as JsonObject
            ?? throw new ArgumentException($"A run's input must be a JSON object; got {input.GetType().Name}.", nameof(input)),
    };
}
