using System.Text.Json;
using System.Text.Json.Nodes;
using Workflows.Serialization;

namespace Workflows;

/// <summary>The answer to an <see cref="InputRequiredEvent"/>: the validated form data of the completed task.</summary>
/// <param name="TaskId">The task that was completed.</param>
/// <param name="Data">The submitted data, valid against the task's schema.</param>
public record HumanResponseEvent(string TaskId, JsonObject Data) : Event
{
    /// <summary>The step that asked.</summary>
    public string? Step { get; init; }

    /// <summary>Who completed the task (<c>deadline</c> when a default outcome was taken).</summary>
    public string? CompletedBy { get; init; }

    /// <summary>Reads a field of <see cref="Data"/> (dotted paths reach into objects).</summary>
    public T? Get<T>(string path, T? defaultValue = default) =>
        JsonPath.Get(Data, path) is { } node ? node.Deserialize<T>(WorkflowJson.Options) : defaultValue;
}
