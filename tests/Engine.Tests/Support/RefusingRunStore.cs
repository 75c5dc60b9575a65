using Workflows.Persistence;

namespace Workflows.Engine.Tests.Support;

/// <summary>
/// An <see cref="InMemoryRunStore"/> that refuses, as one transaction, every batch holding a commit that
/// <see cref="Refuses"/> matches (a store that cannot keep a value, or one that is down); and that can hold its next
/// commit until released, so that later commits gather into one batch.
/// </summary>
internal sealed class RefusingRunStore(InMemoryRunStore inner) : IRunStore
{
    private volatile Func<RunCommit, bool>? _refuses;
    private TaskCompletionSource? _gate;

    public InMemoryRunStore Inner => inner;

    /// <summary>Which commits the store refuses now (null: none).</summary>
    public Func<RunCommit, bool>? Refuses
    {
        get => _refuses;
        set => _refuses = value;
    }

    /// <summary>Batches refused so far.</summary>
    public int Refused { get; private set; }

    /// <summary>The next commit waits until <see cref="TaskCompletionSource.SetResult"/> is called on the returned gate.</summary>
    public TaskCompletionSource HoldNextCommit() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task CommitAsync(IReadOnlyList<RunCommit> batch, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _gate, null) is { } gate)
        {
            await gate.Task.ConfigureAwait(false);
        }
        if (_refuses is { } refuses && batch.Any(refuses))
        {
            Refused++;
            throw new InvalidOperationException("The store refused the batch.");
        }
        await inner.CommitAsync(batch, cancellationToken).ConfigureAwait(false);
    }

    public Task InitializeAsync(IReadOnlyList<DefinitionRecord> definitions, CancellationToken cancellationToken) => inner.InitializeAsync(definitions, cancellationToken);

    public Task<IReadOnlyList<StoredRun>> LoadUnfinishedAsync(CancellationToken cancellationToken) => inner.LoadUnfinishedAsync(cancellationToken);

    public Task<IReadOnlyList<HumanTask>> LoadTasksAsync(CancellationToken cancellationToken) => inner.LoadTasksAsync(cancellationToken);

    public Task<IReadOnlyList<RunRecord>> ListRunsAsync(RunListQuery query, CancellationToken cancellationToken) => inner.ListRunsAsync(query, cancellationToken);

    public Task<RunCounts> CountRunsAsync(string? workflow, CancellationToken cancellationToken) => inner.CountRunsAsync(workflow, cancellationToken);

    public Task<StoredRun?> GetRunAsync(string runId, CancellationToken cancellationToken) => inner.GetRunAsync(runId, cancellationToken);

    public IAsyncEnumerable<StoredItem> ReadItemsAsync(string runId, long afterSequence, CancellationToken cancellationToken) => inner.ReadItemsAsync(runId, afterSequence, cancellationToken);
}
