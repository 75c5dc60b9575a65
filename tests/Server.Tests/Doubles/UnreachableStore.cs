using Workflows.Persistence;

namespace Workflows.Server.Tests.Doubles;

/// <summary>A run store whose database has gone away after start-up: every query fails.</summary>
public sealed class UnreachableStore : IRunStore
{
    public Task InitializeAsync(IReadOnlyList<DefinitionRecord> definitions, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<IReadOnlyList<StoredRun>> LoadUnfinishedAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<StoredRun>>([]);

    public Task CommitAsync(IReadOnlyList<RunCommit> batch, CancellationToken cancellationToken) => throw Down();

    public Task<IReadOnlyList<HumanTask>> LoadTasksAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<HumanTask>>([]);

    public Task<IReadOnlyList<RunRecord>> ListRunsAsync(RunListQuery query, CancellationToken cancellationToken) => throw Down();

    public Task<RunCounts> CountRunsAsync(string? workflow, CancellationToken cancellationToken) => throw Down();

    public Task<StoredRun?> GetRunAsync(string runId, CancellationToken cancellationToken) => throw Down();

    public IAsyncEnumerable<StoredItem> ReadItemsAsync(string runId, long afterSequence, CancellationToken cancellationToken) => throw Down();

    private static InvalidOperationException Down() => new("The database is unreachable.");
}
