using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Workflows.Serialization;

namespace Workflows;

/// <summary>
/// The event that starts a run. It carries the run's input: read fields with <see cref="Get{T}"/>, or derive
/// a record from <see cref="StartEvent"/> with typed properties and the input is bound to them.
/// </summary>
public record StartEvent : Event
{
    /// <summary>Creates a start event with no input.</summary>
    public StartEvent() : this(new JsonObject())
    {
    }

    /// <summary>Creates a start event over the given input object.</summary>
    public StartEvent(JsonObject input) => Input = input;

    /// <summary>The run's input as given to the engine (a JSON object, never null).</summary>
    [JsonIgnore]
    public JsonObject Input { get; internal set; }

    /// <summary>
    /// Reads an input field (dotted paths such as <c>order.amount</c> reach into objects), or
    /// <paramref name="defaultValue"/> when it is absent or null.
    /// </summary>
    public T? Get<T>(string path, T? defaultValue = default) =>
        JsonPath.Get(Input, path) is { } node ? node.Deserialize<T>(WorkflowJson.Options) : defaultValue;

    /// <summary>True when the input has a non-null value at <paramref name="path"/>.</summary>
    public bool Has(string path) => JsonPath.Get(Input, path) is not null;
}
