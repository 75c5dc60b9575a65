using System.Data.Common;
using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Workflows.Persistence.EntityFramework.Entities;
using Workflows.Persistence.EntityFramework.Schema;

namespace Workflows.Persistence.EntityFramework.Stores;

/// <summary>
/// <see cref="IRunStore"/> on EF Core. Writes go through prepared ADO.NET statements on the context's connection
/// (<see cref="CommitWriter"/>), one transaction per batch; reads are EF queries without tracking. Every call takes
/// its own context from the pooled factory, so reads may run concurrently with each other and with a commit.
/// </summary>
internal sealed class EfRunStore : IRunStore
{
    /// <summary>How many items <see cref="ReadItemsAsync"/> reads per query.</summary>
    internal const int ItemPageSize = 500;

    private static readonly Expression<Func<RunEntity, bool>> s_unfinished = BuildUnfinished();

    private readonly IDbContextFactory<WorkflowDbContext> _contexts;
    private readonly StoreDialect _dialect;
    private readonly IReadOnlyList<SchemaScript> _scripts;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    // Compiled per instance: a store is bound to one provider, and its queries to that provider's model.
    private readonly Func<WorkflowDbContext, string, long, int, IAsyncEnumerable<StoredItem>> _itemPage =
        EF.CompileAsyncQuery((WorkflowDbContext db, string runId, long after, int take) => db.RunItems.AsNoTracking()
            .Where(i => i.RunId == runId && i.Sequence > after)
            .OrderBy(i => i.Sequence)
            .Take(take)
            .Select(i => new StoredItem(i.RunId, i.Sequence, i.Type, i.RecordedAt, i.Json)));

    public EfRunStore(IDbContextFactory<WorkflowDbContext> contexts, StoreDialect dialect, IReadOnlyList<SchemaScript> scripts,
        TimeProvider time, ILogger logger)
    {
        _contexts = contexts;
        _dialect = dialect;
        _scripts = scripts;
        _time = time;
        _logger = logger;
    }

    /// <inheritdoc/>
    public async Task InitializeAsync(IReadOnlyList<DefinitionRecord> definitions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        _dialect.PrepareStorage();
        await using var db = await _contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await db.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var connection = db.Database.GetDbConnection();
            var result = await new SchemaMigrator(_dialect, _time).MigrateAsync(connection, _scripts, cancellationToken).ConfigureAwait(false);
            if (result.From != result.To)
            {
                PersistenceLog.SchemaUpgraded(_logger, _dialect.Provider, result.From, result.To);
            }
            else
            {
                PersistenceLog.SchemaCurrent(_logger, _dialect.Provider, result.To);
            }
            if (definitions.Count > 0)
            {
                await using var transaction = await _dialect.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
                await CommitWriter.WriteDefinitionsAsync(connection, transaction, _dialect, definitions, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            await CloseAsync(db).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public async Task CommitAsync(IReadOnlyList<RunCommit> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count == 0)
        {
            return;
        }
        CommitWriter.Validate(batch);
        await using var db = await _contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await db.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var connection = db.Database.GetDbConnection();
            await using var transaction = await _dialect.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
            await CommitWriter.WriteAsync(connection, transaction, _dialect, batch, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await CloseAsync(db).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Runs <paramref name="read"/> on a context of its own, and once more on a fresh one if the database refused it: a
    /// pooled SQLite connection can come back broken (see <see cref="StoreDialect.Discard"/>), and a read may be repeated.
    /// Every read of this store goes through here.
    /// </summary>
    internal async Task<T> ReadOnceMoreAsync<T, TArgument>(Func<WorkflowDbContext, TArgument, CancellationToken, Task<T>> read,
        TArgument argument, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await _contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await read(db, argument, cancellationToken).ConfigureAwait(false);
            }
            catch (DbException error) when (attempt == 1 && !cancellationToken.IsCancellationRequested)
            {
                _dialect.Discard(db.Database.GetDbConnection());
                PersistenceLog.ReadRetried(_logger, error, _dialect.Provider);
            }
        }
    }

    /// <summary>Closes the context's connection; one that fails to close is discarded, never passed on as a failure of the work done.</summary>
    private async Task CloseAsync(WorkflowDbContext db)
    {
        try
        {
            await db.Database.CloseConnectionAsync().ConfigureAwait(false);
        }
        catch (DbException error)
        {
            _dialect.Discard(db.Database.GetDbConnection());
            PersistenceLog.CloseFailed(_logger, error, _dialect.Provider);
        }
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Oldest first (created, then id). Each run comes with every task it has, whatever their status, in creation
    /// order. All three queries read one snapshot, so a commit meanwhile is seen entirely or not at all.
    /// </remarks>
    public Task<IReadOnlyList<StoredRun>> LoadUnfinishedAsync(CancellationToken cancellationToken) =>
        ReadOnceMoreAsync(ReadUnfinishedAsync, 0, cancellationToken);

    private async Task<IReadOnlyList<StoredRun>> ReadUnfinishedAsync(WorkflowDbContext db, int _, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var transaction = await _dialect.BeginReadAsync(db.Database.GetDbConnection(), cancellationToken).ConfigureAwait(false);
            await db.Database.UseTransactionAsync(transaction, cancellationToken).ConfigureAwait(false);

            var runs = await db.Runs.AsNoTracking().Where(s_unfinished)
                .OrderBy(r => r.CreatedAt).ThenBy(r => r.Id)
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            if (runs.Count == 0)
            {
                return [];
            }
            var unfinished = db.Runs.Where(s_unfinished);
            var states = await db.RunStates.AsNoTracking()
                .Where(s => unfinished.Any(r => r.Id == s.RunId))
                .ToDictionaryAsync(s => s.RunId, s => s.StateJson, StringComparer.Ordinal, cancellationToken).ConfigureAwait(false);
            var tasks = (await db.Tasks.AsNoTracking()
                .Where(t => unfinished.Any(r => r.Id == t.RunId))
                .OrderBy(t => t.CreatedAt).ThenBy(t => t.Id)
                .ToListAsync(cancellationToken).ConfigureAwait(false)).ToLookup(t => t.RunId, StringComparer.Ordinal);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);

            return runs.Select(run => new StoredRun(
                RowMapping.ToRecord(run),
                states.GetValueOrDefault(run.Id),
                tasks[run.Id].Select(RowMapping.ToTask).ToArray())).ToArray();
        }
        finally
        {
            await db.Database.UseTransactionAsync(null, cancellationToken).ConfigureAwait(false);
            await CloseAsync(db).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<HumanTask>> LoadTasksAsync(CancellationToken cancellationToken) =>
        ReadOnceMoreAsync(static async (db, _, cancellationToken) =>
        {
            var tasks = await db.Tasks.AsNoTracking().OrderBy(t => t.CreatedAt).ThenBy(t => t.Id)
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            return (IReadOnlyList<HumanTask>)tasks.Select(RowMapping.ToTask).ToArray();
        }, 0, cancellationToken);

    /// <inheritdoc/>
    /// <remarks>
    /// Ids compare in the database's collation (byte order for SQLite and PostgreSQL's C collation; the engine's ids
    /// are lowercase hex UUIDs, which every collation orders alike). A cursor's time is compared at microsecond precision.
    /// </remarks>
    public async Task<IReadOnlyList<RunRecord>> ListRunsAsync(RunListQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Limit <= 0)
        {
            return [];
        }
        return await ReadOnceMoreAsync(ReadRunPageAsync, query, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<RunRecord>> ReadRunPageAsync(WorkflowDbContext db, RunListQuery query, CancellationToken cancellationToken)
    {
        var runs = db.Runs.AsNoTracking();
        if (query.Workflow is { } workflow)
        {
            runs = runs.Where(r => r.Workflow == workflow);
        }
        if (query.Status is { } status)
        {
            runs = runs.Where(r => r.Status == status);
        }
        if (query.CorrelationId is { } correlationId)
        {
            runs = runs.Where(r => r.CorrelationId == correlationId);
        }
        if (query.After is { } after)
        {
            var createdAt = StoreTime.Truncate(after.CreatedAt);
            var id = after.Id;
            runs = runs.Where(r => r.CreatedAt < createdAt || (r.CreatedAt == createdAt && string.Compare(r.Id, id) < 0));
        }
        var page = await runs.OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id).Take(query.Limit)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return page.Select(RowMapping.ToRecord).ToArray();
    }

    /// <inheritdoc/>
    /// <remarks>
    /// One <c>GROUP BY status</c> statement (one snapshot on both providers). Without a workflow it reads only the
    /// index on <c>status</c> (a covering index scan); with one, the runs of that workflow found through
    /// <c>ix_runs_workflow_created_at</c>.
    /// </remarks>
    public Task<RunCounts> CountRunsAsync(string? workflow, CancellationToken cancellationToken) =>
        ReadOnceMoreAsync(CountAsync, workflow, cancellationToken);

    private static async Task<RunCounts> CountAsync(WorkflowDbContext db, string? workflow, CancellationToken cancellationToken)
    {
        var runs = db.Runs.AsNoTracking();
        if (workflow is not null)
        {
            runs = runs.Where(r => r.Workflow == workflow);
        }
        var groups = await runs.GroupBy(r => r.Status)
            .Select(g => new { Status = g.Key, Count = g.LongCount() })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return RunCounts.From(groups.Select(g => KeyValuePair.Create(g.Status, g.Count)));
    }

    /// <inheritdoc/>
    /// <remarks>Tasks of every status, in creation order; run row, state and tasks from one snapshot.</remarks>
    public async Task<StoredRun?> GetRunAsync(string runId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        return await ReadOnceMoreAsync(ReadRunAsync, runId, cancellationToken).ConfigureAwait(false);
    }

    private async Task<StoredRun?> ReadRunAsync(WorkflowDbContext db, string runId, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var transaction = await _dialect.BeginReadAsync(db.Database.GetDbConnection(), cancellationToken).ConfigureAwait(false);
            await db.Database.UseTransactionAsync(transaction, cancellationToken).ConfigureAwait(false);

            var run = await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Id == runId, cancellationToken).ConfigureAwait(false);
            if (run is null)
            {
                return null;
            }
            var state = await db.RunStates.AsNoTracking().Where(s => s.RunId == runId).Select(s => s.StateJson)
                .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
            var tasks = await db.Tasks.AsNoTracking().Where(t => t.RunId == runId)
                .OrderBy(t => t.CreatedAt).ThenBy(t => t.Id)
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return new StoredRun(RowMapping.ToRecord(run), state, tasks.Select(RowMapping.ToTask).ToArray());
        }
        finally
        {
            await db.Database.UseTransactionAsync(null, cancellationToken).ConfigureAwait(false);
            await CloseAsync(db).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Streamed in pages of <see cref="ItemPageSize"/> by key (<c>sequence &gt; cursor</c>): no connection or
    /// transaction stays open while the caller consumes, so a slow reader holds back neither the pool nor SQLite's
    /// checkpoints. Items committed while reading appear in later pages.
    /// </remarks>
    public async IAsyncEnumerable<StoredItem> ReadItemsAsync(string runId, long afterSequence, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        var cursor = afterSequence;
        while (true)
        {
            var page = await ReadOnceMoreAsync(ReadItemPageAsync, (runId, cursor), cancellationToken).ConfigureAwait(false);
            foreach (var item in page)
            {
                yield return item;
            }
            if (page.Count < ItemPageSize)
            {
                yield break;
            }
            cursor = page[^1].Sequence;
        }
    }

    private async Task<List<StoredItem>> ReadItemPageAsync(WorkflowDbContext db, (string RunId, long After) page, CancellationToken cancellationToken)
    {
        var items = new List<StoredItem>(ItemPageSize);
        await foreach (var item in _itemPage(db, page.RunId, page.After, ItemPageSize).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            items.Add(item);
        }
        return items;
    }

    /// <summary><c>status IN (…every non-terminal status…)</c>, from <see cref="RunStatusExtensions.IsTerminal"/>.</summary>
    private static Expression<Func<RunEntity, bool>> BuildUnfinished()
    {
        var run = Expression.Parameter(typeof(RunEntity), "run");
        var status = Expression.Property(run, nameof(RunEntity.Status));
        var body = Enum.GetValues<RunStatus>().Where(s => !s.IsTerminal())
            .Select(s => (Expression)Expression.Equal(status, Expression.Constant(s)))
            .Aggregate(Expression.OrElse);
        return Expression.Lambda<Func<RunEntity, bool>>(body, run);
    }
}
