using System.Text.Json;
using System.Text.Json.Nodes;
using Workflows.Serialization;

namespace Workflows;

/// <summary>
/// A run's key/value state: JSON values addressed by dotted paths. Single reads and writes are atomic;
/// <see cref="EditStateAsync"/> holds the state lock for a whole block and is all-or-nothing.
/// </summary>
public sealed class StateStore
{
    // Marks the async flow that is inside an edit block, so a nested Get/Set reports the mistake instead of
    // waiting for a lock its own caller holds.
    private static readonly AsyncLocal<StateStore?> s_editing = new();

    private readonly SemaphoreSlim _lock = new(1, 1);
    private JsonObject _root;

    internal StateStore(JsonObject? initial = null) => _root = initial ?? new JsonObject();

    /// <summary>The value at <paramref name="path"/>, or <paramref name="defaultValue"/> when absent or null.</summary>
    public T? Get<T>(string path, T? defaultValue = default)
    {
        using var _ = Enter();
        return JsonPath.Get(_root, path) is { } node ? node.Deserialize<T>(WorkflowJson.Options) : defaultValue;
    }

    /// <summary>Sets the value at <paramref name="path"/> (a JSON-serialisable value).</summary>
    public void Set<T>(string path, T value)
    {
        var node = JsonSerializer.SerializeToNode(value, WorkflowJson.Options);
        using var _ = Enter();
        JsonPath.Set(_root, path, node);
    }

    /// <summary>
    /// Runs <paramref name="edit"/> while holding the state lock. The editor works on a copy that replaces the
    /// state only when the block returns normally: an exception leaves the state exactly as it was.
    /// </summary>
    public async Task EditStateAsync(Func<StateEditor, Task> edit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(edit);
        ThrowIfNested();
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            s_editing.Value = this;
            var working = (JsonObject)_root.DeepClone();
            await edit(new StateEditor(working)).ConfigureAwait(false);
            _root = working;
        }
        finally
        {
            s_editing.Value = null;
            _lock.Release();
        }
    }

    /// <summary>Synchronous form of <see cref="EditStateAsync"/>.</summary>
    public void EditState(Action<StateEditor> edit)
    {
        ArgumentNullException.ThrowIfNull(edit);
        using var _ = Enter();
        var working = (JsonObject)_root.DeepClone();
        s_editing.Value = this;
        try
        {
            edit(new StateEditor(working));
        }
        finally
        {
            s_editing.Value = null;
        }
        _root = working;
    }

    /// <summary>A deep copy of the whole state.</summary>
    public JsonObject Snapshot()
    {
        using var _ = Enter();
        return (JsonObject)_root.DeepClone();
    }

    private Releaser Enter()
    {
        ThrowIfNested();
        _lock.Wait();
        return new Releaser(_lock);
    }

    private void ThrowIfNested()
    {
        if (ReferenceEquals(s_editing.Value, this))
        {
            throw new InvalidOperationException(
                "The state is being edited by this step: inside EditState use the editor it passes, not ctx.Store.");
        }
    }

    private readonly struct Releaser(SemaphoreSlim semaphore) : IDisposable
    {
        public void Dispose() => semaphore.Release();
    }
}
