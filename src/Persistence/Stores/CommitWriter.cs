using System.Data;
using System.Data.Common;

namespace Workflows.Persistence.EntityFramework.Stores;

/// <summary>
/// Writes one batch of <see cref="RunCommit"/>s inside the caller's transaction with prepared statements, one per
/// kind of row, reused for every row: run rows and state rows upserted, items inserted, tasks upserted. Nothing is
/// read back. Within a batch only the last version of a run row, state or task is written; since the batch commits
/// as one, that is what applying the commits in order would leave.
/// </summary>
internal static class CommitWriter
{
    private const string UpsertRunSql = """
        INSERT INTO runs (id, workflow, version, status, input_json, correlation_id, result_json, error_json, last_sequence, created_at, updated_at, ended_at)
        VALUES (@id, @workflow, @version, @status, @input_json, @correlation_id, @result_json, @error_json, @last_sequence, @created_at, @updated_at, @ended_at)
        ON CONFLICT (id) DO UPDATE SET
            workflow = excluded.workflow, version = excluded.version, status = excluded.status, input_json = excluded.input_json,
            correlation_id = excluded.correlation_id, result_json = excluded.result_json, error_json = excluded.error_json,
            last_sequence = excluded.last_sequence, created_at = excluded.created_at, updated_at = excluded.updated_at,
            ended_at = excluded.ended_at
        """;

    private const string InsertItemSql = """
        INSERT INTO run_items (run_id, sequence, type, recorded_at, json) VALUES (@run_id, @sequence, @type, @recorded_at, @json)
        """;

    private const string UpsertStateSql = """
        INSERT INTO run_states (run_id, state_json) VALUES (@run_id, @state_json)
        ON CONFLICT (run_id) DO UPDATE SET state_json = excluded.state_json
        """;

    private const string UpsertTaskSql = """
        INSERT INTO tasks (id, run_id, workflow, step, title, description, form_schema, assignee, group_name, status, created_at, due_at, completed_by, completed_at, data, cancel_reason, on_due)
        VALUES (@id, @run_id, @workflow, @step, @title, @description, @form_schema, @assignee, @group_name, @status, @created_at, @due_at, @completed_by, @completed_at, @data, @cancel_reason, @on_due)
        ON CONFLICT (id) DO UPDATE SET
            run_id = excluded.run_id, workflow = excluded.workflow, step = excluded.step, title = excluded.title,
            description = excluded.description, form_schema = excluded.form_schema, assignee = excluded.assignee,
            group_name = excluded.group_name, status = excluded.status, created_at = excluded.created_at, due_at = excluded.due_at,
            completed_by = excluded.completed_by, completed_at = excluded.completed_at, data = excluded.data,
            cancel_reason = excluded.cancel_reason, on_due = excluded.on_due
        """;

    private const string InsertDefinitionSql = """
        INSERT INTO definitions (name, version, kind, shape_hash, first_seen_at) VALUES (@name, @version, @kind, @shape_hash, @first_seen_at)
        ON CONFLICT (name, version) DO NOTHING
        """;

    /// <summary>Refuses a batch whose rows name another run than their commit, before anything is written.</summary>
    public static void Validate(IReadOnlyList<RunCommit> batch)
    {
        foreach (var commit in batch)
        {
            ArgumentNullException.ThrowIfNull(commit, nameof(batch));
            if (commit.Run is { } run && !string.Equals(run.Id, commit.RunId, StringComparison.Ordinal))
            {
                throw new ArgumentException($"A commit of run '{commit.RunId}' carries the row of run '{run.Id}'.", nameof(batch));
            }
            foreach (var item in commit.Items)
            {
                if (!string.Equals(item.RunId, commit.RunId, StringComparison.Ordinal))
                {
                    throw new ArgumentException($"A commit of run '{commit.RunId}' carries item {item.Sequence} of run '{item.RunId}'.", nameof(batch));
                }
            }
            foreach (var task in commit.Tasks)
            {
                if (!string.Equals(task.RunId, commit.RunId, StringComparison.Ordinal))
                {
                    throw new ArgumentException($"A commit of run '{commit.RunId}' carries task '{task.Id}' of run '{task.RunId}'.", nameof(batch));
                }
            }
        }
    }

    /// <summary>Writes <paramref name="batch"/> (already validated) inside <paramref name="transaction"/>.</summary>
    public static async Task WriteAsync(DbConnection connection, DbTransaction transaction, StoreDialect dialect,
        IReadOnlyList<RunCommit> batch, CancellationToken cancellationToken)
    {
        var runs = new Dictionary<string, RunRecord>(StringComparer.Ordinal);
        var states = new Dictionary<string, string>(StringComparer.Ordinal);
        var tasks = new Dictionary<string, HumanTask>(StringComparer.Ordinal);
        var hasItems = false;
        foreach (var commit in batch)
        {
            if (commit.Run is { } run)
            {
                runs[run.Id] = run;
            }
            if (commit.StateJson is { } state)
            {
                states[commit.RunId] = state;
            }
            foreach (var task in commit.Tasks)
            {
                tasks[task.Id] = task;
            }
            hasItems |= commit.Items.Count > 0;
        }

        // Run rows first: items, states and tasks refer to them.
        if (runs.Count > 0)
        {
            await WriteRunsAsync(connection, transaction, dialect, runs.Values, cancellationToken).ConfigureAwait(false);
        }
        if (hasItems)
        {
            await dialect.InsertItemsAsync(connection, transaction, batch, cancellationToken).ConfigureAwait(false);
        }
        if (states.Count > 0)
        {
            await WriteStatesAsync(connection, transaction, states, cancellationToken).ConfigureAwait(false);
        }
        if (tasks.Count > 0)
        {
            await WriteTasksAsync(connection, transaction, dialect, tasks.Values, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Inserts the definitions not yet known by name and version; a known one keeps its first row.</summary>
    public static async Task WriteDefinitionsAsync(DbConnection connection, DbTransaction transaction, StoreDialect dialect,
        IReadOnlyList<DefinitionRecord> definitions, CancellationToken cancellationToken)
    {
        await using var insert = await PreparedCommand.CreateAsync(connection, transaction, InsertDefinitionSql,
            [("@name", DbType.String), ("@version", DbType.String), ("@kind", DbType.String), ("@shape_hash", DbType.String),
             ("@first_seen_at", dialect.TimestampDbType)], cancellationToken).ConfigureAwait(false);
        foreach (var definition in definitions)
        {
            insert.Set(0, definition.Name);
            insert.Set(1, definition.Version);
            insert.Set(2, definition.Kind);
            insert.Set(3, definition.ShapeHash);
            insert.Set(4, dialect.Timestamp(definition.FirstSeenAt));
            await insert.ExecuteAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task WriteRunsAsync(DbConnection connection, DbTransaction transaction, StoreDialect dialect,
        IEnumerable<RunRecord> runs, CancellationToken cancellationToken)
    {
        var timestamp = dialect.TimestampDbType;
        await using var upsert = await PreparedCommand.CreateAsync(connection, transaction, UpsertRunSql,
            [("@id", DbType.String), ("@workflow", DbType.String), ("@version", DbType.String), ("@status", DbType.String),
             ("@input_json", DbType.String), ("@correlation_id", DbType.String), ("@result_json", DbType.String),
             ("@error_json", DbType.String), ("@last_sequence", DbType.Int64), ("@created_at", timestamp),
             ("@updated_at", timestamp), ("@ended_at", timestamp)], cancellationToken).ConfigureAwait(false);
        foreach (var run in runs)
        {
            upsert.Set(0, run.Id);
            upsert.Set(1, run.Workflow);
            upsert.Set(2, run.Version);
            upsert.Set(3, WireNames.Of(run.Status));
            upsert.Set(4, run.InputJson);
            upsert.Set(5, run.CorrelationId);
            upsert.Set(6, run.ResultJson);
            upsert.Set(7, run.ErrorJson);
            upsert.Set(8, run.LastSequence);
            upsert.Set(9, dialect.Timestamp(run.CreatedAt));
            upsert.Set(10, dialect.Timestamp(run.UpdatedAt));
            upsert.Set(11, run.EndedAt is { } ended ? dialect.Timestamp(ended) : null);
            await upsert.ExecuteAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Items by one prepared insert executed per row (<see cref="StoreDialect.InsertItemsAsync"/>).</summary>
    public static async Task InsertItemsPerRowAsync(DbConnection connection, DbTransaction transaction, StoreDialect dialect,
        IReadOnlyList<RunCommit> batch, CancellationToken cancellationToken)
    {
        await using var insert = await PreparedCommand.CreateAsync(connection, transaction, InsertItemSql,
            [("@run_id", DbType.String), ("@sequence", DbType.Int64), ("@type", DbType.String),
             ("@recorded_at", dialect.TimestampDbType), ("@json", DbType.String)], cancellationToken).ConfigureAwait(false);
        foreach (var commit in batch)
        {
            foreach (var item in commit.Items)
            {
                insert.Set(0, item.RunId);
                insert.Set(1, item.Sequence);
                insert.Set(2, item.Type);
                insert.Set(3, dialect.Timestamp(item.Timestamp));
                insert.Set(4, item.Json);
                await insert.ExecuteAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task WriteStatesAsync(DbConnection connection, DbTransaction transaction,
        Dictionary<string, string> states, CancellationToken cancellationToken)
    {
        await using var upsert = await PreparedCommand.CreateAsync(connection, transaction, UpsertStateSql,
            [("@run_id", DbType.String), ("@state_json", DbType.String)], cancellationToken).ConfigureAwait(false);
        foreach (var (runId, state) in states)
        {
            upsert.Set(0, runId);
            upsert.Set(1, state);
            await upsert.ExecuteAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task WriteTasksAsync(DbConnection connection, DbTransaction transaction, StoreDialect dialect,
        IEnumerable<HumanTask> tasks, CancellationToken cancellationToken)
    {
        var timestamp = dialect.TimestampDbType;
        await using var upsert = await PreparedCommand.CreateAsync(connection, transaction, UpsertTaskSql,
            [("@id", DbType.String), ("@run_id", DbType.String), ("@workflow", DbType.String), ("@step", DbType.String),
             ("@title", DbType.String), ("@description", DbType.String), ("@form_schema", DbType.String),
             ("@assignee", DbType.String), ("@group_name", DbType.String), ("@status", DbType.String),
             ("@created_at", timestamp), ("@due_at", timestamp), ("@completed_by", DbType.String),
             ("@completed_at", timestamp), ("@data", DbType.String), ("@cancel_reason", DbType.String),
             ("@on_due", DbType.String)], cancellationToken).ConfigureAwait(false);
        foreach (var task in tasks)
        {
            upsert.Set(0, task.Id);
            upsert.Set(1, task.RunId);
            upsert.Set(2, task.Workflow);
            upsert.Set(3, task.Step);
            upsert.Set(4, task.Title);
            upsert.Set(5, task.Description);
            upsert.Set(6, TaskJson.WriteObject(task.FormSchema));
            upsert.Set(7, task.Assignee);
            upsert.Set(8, task.Group);
            upsert.Set(9, WireNames.Of(task.Status));
            upsert.Set(10, dialect.Timestamp(task.CreatedAt));
            upsert.Set(11, task.DueAt is { } due ? dialect.Timestamp(due) : null);
            upsert.Set(12, task.CompletedBy);
            upsert.Set(13, task.CompletedAt is { } completed ? dialect.Timestamp(completed) : null);
            upsert.Set(14, task.Data is { } data ? TaskJson.WriteObject(data) : null);
            upsert.Set(15, task.CancelReason);
            upsert.Set(16, TaskJson.WriteDueAction(task.OnDue));
            await upsert.ExecuteAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
