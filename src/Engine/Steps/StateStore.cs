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
    // Guards only the moment the root changes (an in-place Set, an edit's swap), so the run loop can copy the
    // state for a commit without waiting for a long edit block to finish.
    private readonly Lock _rootGate = new();
    private readonly List<StateWrite> _history = [];
    private JsonObject _root;
    // Durable runs: the step attempts that changed the state and had not ended then (see TryCopyForCommit).
    private List<Runtime.StepInvocation>? _runningWriters;
    // Bumped under the root gate on every change, so a commit can reuse its last copy while nothing changed.
    private long _changes;
    private JsonObject? _lastCommitCopy;
    private long _lastCommitChanges = -1;

    internal StateStore(JsonObject? initial = null) => _root = initial ?? new JsonObject();

    /// <summary>Whether changes are attributed to the step attempt making them (durable runs).</summary>
    internal bool TracksWriters { get; init; }

    /// <summary>The value at <paramref name="path"/>, or <paramref name="defaultValue"/> when absent or null.</summary>
    public T? Get<T>(string path, T? defaultValue = default)
    {
        ThrowIfNested();
        // A read does not wait for another step's edit block: it sees the state as before the block, which commits all
        // at once. Waiting would block a pool thread on an edit whose asynchronous continuation may need a pool thread
        // to go on: with every thread so blocked, the run (and every other) stalls until the pool adds threads.
        lock (_rootGate)
        {
            return JsonPath.Get(_root, path) is { } node ? node.Deserialize<T>(WorkflowJson.Options) : defaultValue;
        }
    }

    /// <summary>Sets the value at <paramref name="path"/> (a JSON-serialisable value).</summary>
    public void Set<T>(string path, T value) => Set(path, value, writer: null);

    /// <summary>Every write so far, in order, with the step that made it when known.</summary>
    public IReadOnlyList<StateWrite> History
    {
        get
        {
            using var _ = Enter();
            return _history.ToArray();
        }
    }

    internal void Set<T>(string path, T value, string? writer)
    {
        var node = JsonSerializer.SerializeToNode(value, WorkflowJson.Options);
        using var _ = Enter();
        lock (_rootGate)
        {
            JsonPath.Set(_root, path, node);
            Changed();
        }
        _history.Add(new StateWrite(writer, path));
    }

    /// <summary>
    /// Runs <paramref name="edit"/> while holding the state lock. The editor works on a copy that replaces the
    /// state only when the block returns normally: an exception leaves the state exactly as it was.
    /// </summary>
    public Task EditStateAsync(Func<StateEditor, Task> edit, CancellationToken cancellationToken = default) =>
        EditStateAsWriterAsync(edit, writer: null, cancellationToken);

    internal async Task EditStateAsWriterAsync(Func<StateEditor, Task> edit, string? writer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(edit);
        ThrowIfNested();
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            s_editing.Value = this;
            var working = CopyForCommit();
            var editor = new StateEditor(working);
            await edit(editor).ConfigureAwait(false);
            Swap(working);
            _history.AddRange(editor.Written.Select(path => new StateWrite(writer, path)));
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
        var working = CopyForCommit();
        var editor = new StateEditor(working);
        s_editing.Value = this;
        try
        {
            edit(editor);
        }
        finally
        {
            s_editing.Value = null;
        }
        Swap(working);
        _history.AddRange(editor.Written.Select(path => new StateWrite(null, path)));
    }

    /// <summary>A deep copy of the whole state.</summary>
    public JsonObject Snapshot()
    {
        ThrowIfNested();
        lock (_rootGate) // as Get: no waiting for an edit block
        {
            return (JsonObject)_root.DeepClone();
        }
    }

    /// <summary>A copy for a commit, without waiting for an edit block in progress (it is not part of the copy yet).</summary>
    internal JsonObject CopyForCommit()
    {
        lock (_rootGate)
        {
            return (JsonObject)_root.DeepClone();
        }
    }

    /// <summary>
    /// A copy for a durable commit, or null while a step attempt that changed the state is still running: its change
    /// must become durable together with its end. Committed earlier, a restart would run the attempt again on top of
    /// its own change (an item appended twice, a counter incremented twice). Loop thread only.
    /// </summary>
    /// <remarks>Unchanged since the last call, the state is not copied again: the same copy comes back (read it only).</remarks>
    internal JsonObject? TryCopyForCommit()
    {
        lock (_rootGate)
        {
            if (_runningWriters is { Count: > 0 } writers)
            {
                writers.RemoveAll(static writer => writer.Done);
                if (writers.Count > 0)
                {
                    return null;
                }
            }
            if (_lastCommitChanges != _changes || _lastCommitCopy is null)
            {
                (_lastCommitCopy, _lastCommitChanges) = ((JsonObject)_root.DeepClone(), _changes);
            }
            return _lastCommitCopy;
        }
    }

    private void Swap(JsonObject working)
    {
        lock (_rootGate)
        {
            _root = working;
            Changed();
        }
    }

    /// <summary>Under the root gate, after each change: remembers the running step attempt that made it (durable runs), see <see cref="TryCopyForCommit"/>.</summary>
    private void Changed()
    {
        _changes++;
        if (TracksWriters && Runtime.StepInvocation.Current is { Done: false } writer && ReferenceEquals(writer.Store, this)
            && !(_runningWriters ??= []).Contains(writer))
        {
            _runningWriters.Add(writer);
        }
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
