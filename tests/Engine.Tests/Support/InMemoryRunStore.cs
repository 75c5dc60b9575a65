using System.Runtime.CompilerServices;
using Workflows.Persistence;

namespace Workflows.Engine.Tests.Support;

/// <summary>
/// An <see cref="IRunStore"/> in memory, for engine tests. <see cref="Crash"/> simulates a process dying: from then
/// on this store never completes a commit (the old engine's writes hang, as if the process were gone), and the
/// returned store holds exactly what had been committed, for a new engine to recover from.
/// </summary>
internal sealed class InMemoryRunStore : IRunStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, RunRecord> _runs = [];
    private readonly Dictionary<string, string?> _states = [];
    private readonly Dictionary<string, List<StoredItem>> _items = [];
    private readonly Dictionary<string, HumanTask> _tasks = [];
    private readonly TaskCompletionSource _never = new();
    private bool _crashed;

    public int Commits { get; private set; }

    public IReadOnlyList<DefinitionRecord> Definitions { get; private set; } = [];

    public Task InitializeAsync(IReadOnlyList<DefinitionRecord> definitions, CancellationToken cancellationToken)
    {
        Definitions = definitions;
        return Task.CompletedTask;
    }

    public Task CommitAsync(IReadOnlyList<RunCommit> batch, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_crashed)
            {
                return _never.Task;
            }
            foreach (var commit in batch)
            {
                if (commit.Run is { } run)
                {
                    _runs[run.Id] = run;
                }
                if (commit.StateJson is { } state)
                {
                    _states[commit.RunId] = state;
                }
                var items = _items.TryGetValue(commit.RunId, out var list) ? list : _items[commit.RunId] = [];
                foreach (var item in commit.Items)
                {
                    if (items.Count > 0 && items[^1].Sequence != item.Sequence - 1)
                    {
                        throw new InvalidOperationException($"Run {commit.RunId}: item {item.Sequence} follows {items[^1].Sequence}.");
                    }
                    items.Add(item);
                }
                foreach (var task in commit.Tasks)
                {
                    _tasks[task.Id] = task;
                }
            }
            Commits++;
            return Task.CompletedTask;
        }
    }

    public Task<IReadOnlyList<StoredRun>> LoadUnfinishedAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyList<StoredRun> runs = _runs.Values.Where(r => !r.Status.IsTerminal()).OrderBy(r => r.CreatedAt).Select(Stored).ToArray();
            return Task.FromResult(runs);
        }
    }

    public Task<IReadOnlyList<HumanTask>> LoadTasksAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyList<HumanTask> tasks = _tasks.Values.OrderBy(t => t.CreatedAt).ToArray();
            return Task.FromResult(tasks);
        }
    }

    public Task<IReadOnlyList<RunRecord>> ListRunsAsync(RunListQuery query, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyList<RunRecord> runs = _runs.Values
                .Where(r => query.Workflow is null || r.Workflow == query.Workflow)
                .Where(r => query.Status is null || r.Status == query.Status)
                .Where(r => query.CorrelationId is null || r.CorrelationId == query.CorrelationId)
                .Where(r => query.After is not { } after || r.CreatedAt < after.CreatedAt || (r.CreatedAt == after.CreatedAt && string.CompareOrdinal(r.Id, after.Id) < 0))
                .OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id, StringComparer.Ordinal)
                .Take(query.Limit).ToArray();
            return Task.FromResult(runs);
        }
    }

    public Task<RunCounts> CountRunsAsync(string? workflow, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(RunCounts.From(_runs.Values
                .Where(r => workflow is null || r.Workflow == workflow)
                .Select(r => KeyValuePair.Create(r.Status, 1L))));
        }
    }

    public Task<StoredRun?> GetRunAsync(string runId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_runs.ContainsKey(runId) ? Stored(_runs[runId]) : null);
        }
    }

    public async IAsyncEnumerable<StoredItem> ReadItemsAsync(string runId, long afterSequence, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        StoredItem[] items;
        lock (_gate)
        {
            items = _items.TryGetValue(runId, out var list) ? list.Where(i => i.Sequence > afterSequence).ToArray() : [];
        }
        foreach (var item in items)
        {
            await Task.Yield();
            yield return item;
        }
    }

    /// <summary>Everything committed for a run, in order.</summary>
    public IReadOnlyList<StoredItem> ItemsOf(string runId)
    {
        lock (_gate)
        {
            return _items.TryGetValue(runId, out var list) ? list.ToArray() : [];
        }
    }

    public RunRecord? RunOf(string runId)
    {
        lock (_gate)
        {
            return _runs.GetValueOrDefault(runId);
        }
    }

    /// <summary>The process dies: this store stops committing; the returned one holds what was committed.</summary>
    public InMemoryRunStore Crash()
    {
        lock (_gate)
        {
            _crashed = true;
            var survivor = new InMemoryRunStore();
            foreach (var (id, run) in _runs)
            {
                survivor._runs[id] = run;
            }
            foreach (var (id, state) in _states)
            {
                survivor._states[id] = state;
            }
            foreach (var (id, items) in _items)
            {
                survivor._items[id] = [.. items];
            }
            foreach (var (id, task) in _tasks)
            {
                survivor._tasks[id] = task;
            }
            return survivor;
        }
    }

    private StoredRun Stored(RunRecord run) =>
        new(run, _states.GetValueOrDefault(run.Id), _tasks.Values.Where(t => t.RunId == run.Id).ToArray());
}
