namespace Workflows.Persistence;

/// <summary>
/// Where runs are made durable. The engine writes through <see cref="CommitAsync"/> only: append-only item rows
/// plus small replaceable rows (the run, its resume state, its tasks), never a reload of the run.
/// </summary>
public interface IRunStore
{
    /// <summary>
    /// Creates or upgrades the schema to the current version (safe on every start), then records the definitions
    /// this process runs (name, version, shape hash; a known name and version keeps its first hash).
    /// </summary>
    Task InitializeAsync(IReadOnlyList<DefinitionRecord> definitions, CancellationToken cancellationToken);

    /// <summary>
    /// Writes <paramref name="batch"/> in one transaction, in order (group commit: the commits of many runs).
    /// When the task completes, everything in the batch is durable; if it throws, none of it is.
    /// </summary>
    /// <remarks>
    /// Within a batch, several commits may concern the same run; apply them in order (a later run row or state
    /// replaces an earlier one). Items are inserted, never updated; a duplicate (run, sequence) is an error.
    /// </remarks>
    Task CommitAsync(IReadOnlyList<RunCommit> batch, CancellationToken cancellationToken);

    /// <summary>Every run whose status is not terminal, with its last committed resume state and open tasks, oldest first.</summary>
    Task<IReadOnlyList<StoredRun>> LoadUnfinishedAsync(CancellationToken cancellationToken);

    /// <summary>Every stored task, oldest first (the inbox after a restart: the tasks of ended runs too).</summary>
    Task<IReadOnlyList<HumanTask>> LoadTasksAsync(CancellationToken cancellationToken);

    /// <summary>Run rows, newest first (created at, then id, descending), filtered by workflow and status, after the cursor, at most <c>Limit</c>.</summary>
    Task<IReadOnlyList<RunRecord>> ListRunsAsync(RunListQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// How many runs there are in each status, over every stored run (of <paramref name="workflow"/> only, when it is
    /// not null); every status is present, 0 when no run has it.
    /// </summary>
    /// <remarks>One read: the counts add up to the runs that existed at one moment, never a mix of two.</remarks>
    Task<RunCounts> CountRunsAsync(string? workflow, CancellationToken cancellationToken);

    /// <summary>One run with its state and tasks, or null.</summary>
    Task<StoredRun?> GetRunAsync(string runId, CancellationToken cancellationToken);

    /// <summary>The run's items with a sequence above <paramref name="afterSequence"/>, in sequence order.</summary>
    IAsyncEnumerable<StoredItem> ReadItemsAsync(string runId, long afterSequence, CancellationToken cancellationToken);
}
