using Workflows.Persistence;

namespace Workflows.Server.Tests.Doubles;

/// <summary>
/// Another run store (the real one) whose commits pass at once until <see cref="Hold"/>, then wait until
/// <see cref="Release"/>: a database that has become slow. Reads go straight through.
/// </summary>
public sealed class HeldCommitsStore(IRunStore inner) : IRunStore
{
    private volatile TaskCompletionSource? _gate;

    /// <summary>From now on, commits wait.</summary>
    public void Hold() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Lets the waiting commits (and later ones) through.</summary>
    public void Release() => _gate?.TrySetResult();

    public Task InitializeAsync(IReadOnlyList<DefinitionRecord> definitions, CancellationToken cancellationToken) => inner.InitializeAsync(definitions, cancellationToken);

    public Task<IReadOnlyList<StoredRun>> LoadUnfinishedAsync(CancellationToken cancellationToken) => inner.LoadUnfinishedAsync(cancellationToken);

    public async Task CommitAsync(IReadOnlyList<RunCommit> batch, CancellationToken cancellationToken)
    {
        if (_gate is { } gate)
        {
            await gate.Task.WaitAsync(cancellationToken);
        }
        await inner.CommitAsync(batch, cancellationToken);
    }

    public Task<IReadOnlyList<HumanTask>> LoadTasksAsync(CancellationToken cancellationToken) => inner.LoadTasksAsync(cancellationToken);

    public Task<IReadOnlyList<RunRecord>> ListRunsAsync(RunListQuery query, CancellationToken cancellationToken) => inner.ListRunsAsync(query, cancellationToken);

    public Task<RunCounts> CountRunsAsync(string? workflow, CancellationToken cancellationToken) => inner.CountRunsAsync(workflow, cancellationToken);

    public Task<StoredRun?> GetRunAsync(string runId, CancellationToken cancellationToken) => inner.GetRunAsync(runId, cancellationToken);

    public IAsyncEnumerable<StoredItem> ReadItemsAsync(string runId, long afterSequence, CancellationToken cancellationToken) =>
        inner.ReadItemsAsync(runId, afterSequence, cancellationToken);
}
