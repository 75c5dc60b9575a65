using System.Text.Json;
using System.Text.Json.Nodes;
using Workflows.Serialization;

namespace Workflows;

/// <summary>The working copy handed to an <see cref="StateStore.EditStateAsync"/> block.</summary>
public sealed class StateEditor
{
    private readonly JsonObject _working;

    internal StateEditor(JsonObject working) => _working = working;

    /// <summary>Paths written or removed in this block, for the state's history.</summary>
    internal List<string> Written { get; } = [];

    /// <summary>The value at <paramref name="path"/>, or <paramref name="defaultValue"/>.</summary>
    public T? Get<T>(string path, T? defaultValue = default) =>
        JsonPath.Get(_working, path) is { } node ? node.Deserialize<T>(WorkflowJson.Options) : defaultValue;

    /// <summary>Sets the value at <paramref name="path"/>.</summary>
    public void Set<T>(string path, T value)
    {
        JsonPath.Set(_working, path, JsonSerializer.SerializeToNode(value, WorkflowJson.Options));
        Written.Add(path);
    }

    /// <summary>Removes the value at <paramref name="path"/>.</summary>
    public bool Remove(string path)
    {
        Written.Add(path);
        return JsonPath.Remove(_working, path);
    }
}
