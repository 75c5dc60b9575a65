using System.Text.Json;
using Workflows.Model;
using Workflows.Persistence;
using Workflows.Runtime.Durability;
using Workflows.Runtime.Ticks;
using Workflows.Serialization;

namespace Workflows.Runtime;

/// <summary>
/// Publishing a pass's results. In memory, items appear at once. With a store, a pass's items, the run row, the
/// resume state and changed tasks go to the <see cref="RunCommitter"/> as one commit, and only once it is durable
/// do the items appear on the stream, callers get their answers and the outcome completes: nothing is acknowledged
/// before it is persisted. One commit per run is in flight at a time; what accumulates meanwhile goes in the next.
/// </summary>
internal sealed partial class RunLoop
{
    private readonly RunCommitter? _committer;
    private readonly ResumeState? _resumed;
    private readonly List<RunItem>? _uncommitted; // with a store only
    private readonly TaskCompletionSource? _firstCommit; // with a store only: in memory a run has started once it exists
    private bool _commitInFlight;
    private RunOutcome? _final;
    private DateTimeOffset _createdAt;

    /// <summary>Whether the run commits to a store.</summary>
    public bool IsDurable => _committer is not null;

    /// <summary>The caller's correlation id, or null.</summary>
    public string? CorrelationId { get; init; }

    /// <summary>When the run was created (its first pass).</summary>
    public DateTimeOffset CreatedAt => _createdAt;

    /// <summary>The run as lists show it, from what has been published.</summary>
    public RunSummary Summary()
    {
        var last = Items.Last;
        return new(RunId, Model.Name, Model.Version, _status, _createdAt, last?.Timestamp ?? _createdAt, last is RunEnded ? last.Timestamp : null);
    }

    /// <summary>How the run ended, once it has.</summary>
    public RunOutcome? Final => _final;

    /// <summary>The input it started with.</summary>
    public System.Text.Json.Nodes.JsonObject Input => _start.Input;

    /// <summary>Completes once the run's first commit (its row and <c>run.started</c>) is durable; at once in memory.</summary>
    public Task Started => _firstCommit?.Task ?? Task.CompletedTask;

    // One clock read per batch of ticks, not per item: the items of a batch share their timestamp.
    private DateTimeOffset _now;
    private bool _nowRead;

    /// <summary>The time the loop stamps items with: read once per batch of ticks.</summary>
    private DateTimeOffset Now
    {
        get
        {
            if (!_nowRead)
            {
                (_now, _nowRead) = (Time.GetUtcNow(), true);
            }
            return _now;
        }
    }

    /// <summary>The next items will carry a fresh time.</summary>
    private void ReadClockAgain() => _nowRead = false;

    /// <summary>Stamps <paramref name="item"/> with the next sequence and the time, and queues it for publication.</summary>
    public void Append(RunItem item, bool terminal = false)
    {
        item.Sequence = ++_sequence;
        item.Timestamp = Now;
        item.RunId = RunId;
        if (_committer is null)
        {
            Items.Write(item, terminal);
        }
        else
        {
            _uncommitted!.Add(item);
        }
    }

    // The three items of every step: in memory the log keeps them compact and builds the records when read.

    private void AppendStepStarted(StepModel step, int worker, int attempt, string? eventType)
    {
        if (_committer is not null)
        {
            Append(StepItems.Started(step, worker, attempt, eventType));
            return;
        }
        ++_sequence;
        Items.WriteStepStarted(step, worker, attempt, eventType, Now);
    }

    /// <summary>A <see cref="StepCompleted"/> of <paramref name="step"/>, with <paramref name="group"/> (graph steps: their group).</summary>
    public void AppendStepCompleted(StepModel step, int worker, int attempt, string? group)
    {
        if (_committer is not null)
        {
            Append(StepItems.Completed(step, worker, attempt, group));
            return;
        }
        ++_sequence;
        Items.WriteStepCompleted(step, worker, attempt, group, Now);
    }

    private void AppendEventEmitted(Event ev, string? source, string? target)
    {
        if (_committer is not null || target is not null)
        {
            Append(StepItems.Emitted(ev, source, target));
            return;
        }
        ++_sequence;
        Items.WriteEventEmitted(ev, source, Now);
    }

    /// <summary>Publishes what this pass produced: at once in memory, after its commit otherwise.</summary>
    private void Flush()
    {
        if (_committer is null)
        {
            Items.Publish();
            if (_acknowledgements is { Count: > 0 })
            {
                RunAcknowledgements(_acknowledgements.ToArray(), _status);
                _acknowledgements.Clear();
            }
            ReportStatus(_status);
            if (_final is not null)
            {
                _outcome.TrySetResult(_final);
            }
            return;
        }
        Commit(_committer);
    }


    /// <summary>Hands this pass to the committer; what it produced is published once that commit is durable.</summary>
    private void Commit(RunCommitter committer)
    {
        var status = _status;
        if (_commitInFlight || (_uncommitted!.Count == 0 && (_acknowledgements?.Count ?? 0) == 0 && !Tasks.HasChanges && !(Ended && !_outcome.Task.IsCompleted)))
        {
            return;
        }
        // A step that changed the state is still running: this pass goes in the commit that records its end. (Never so
        // once the run has ended: every attempt is over. The last commit carries the state too, so that a run read
        // from the store shows its final state, not the one of its last pass but one.)
        if (Store.TryCopyForCommit() is not { } store)
        {
            return;
        }
        var stateJson = JsonSerializer.Serialize(ExportState(store), WorkflowJson.Options);
        var items = _uncommitted.ToArray();
        var acknowledgements = _acknowledgements?.ToArray() ?? [];
        var final = _final;
        _uncommitted.Clear();
        _acknowledgements?.Clear();
        var commit = new RunCommit(RunId)
        {
            Run = RunRow(),
            Items = items.Select(Encode).ToArray(),
            StateJson = stateJson,
            Tasks = Tasks.DrainChanges(),
        };
        _commitInFlight = true;
        committer.Enqueue(commit, () =>
        {
            foreach (var item in items)
            {
                Items.Append(item, item is RunEnded);
            }
            RunAcknowledgements(acknowledgements, status);
            _firstCommit!.TrySetResult();
            ReportStatus(status);
            if (final is not null)
            {
                _outcome.TrySetResult(final);
            }
            Post(new CommitDone());
        });
    }

    /// <summary>Whether everything the run produced is published (and committed, with a store).</summary>
    private bool AllPublished => _committer is null || (!_commitInFlight && _uncommitted!.Count == 0 && _outcome.Task.IsCompleted);

    /// <summary>A tick that arrives after the end: a commit finishing, or an action to refuse.</summary>
    private void AfterEnd(Tick tick)
    {
        if (tick is CommitDone)
        {
            _commitInFlight = false;
        }
        else
        {
            Refuse(tick);
        }
    }

    /// <summary>Task actions that arrive after the end will never be applied: tell their callers.</summary>
    private void Refuse(Tick tick)
    {
        switch (tick)
        {
            case TaskAnswered { Acknowledged: { } acknowledged } answered:
                Tasks.Service.Unclaim(answered.TaskId);
                acknowledged.TrySetException(new TaskConflictException(answered.TaskId, $"Run {RunId} ended before task '{answered.TaskId}' was applied."));
                break;
            case ExternalEventPosted external:
                external.Acknowledged.TrySetException(new RunEndedException(RunId, _status));
                break;
            case TaskWithdrawn withdrawn:
                Tasks.Service.Unclaim(withdrawn.TaskId);
                withdrawn.Acknowledged.TrySetException(new TaskConflictException(withdrawn.TaskId, $"Run {RunId} ended before task '{withdrawn.TaskId}' was withdrawn."));
                break;
        }
    }

    private static void RunAcknowledgements(Action<RunStatus>[] acknowledgements, RunStatus status)
    {
        foreach (var acknowledge in acknowledgements)
        {
            acknowledge(status);
        }
    }

    private RunRecord RunRow()
    {
        var now = Time.GetUtcNow();
        return new RunRecord
        {
            Id = RunId,
            Workflow = Model.Name,
            Version = Model.Version,
            Status = _status,
            InputJson = _start.Input.ToJsonString(),
            CorrelationId = CorrelationId,
            ResultJson = _final?.Status == RunStatus.Completed ? JsonSerializer.Serialize(_final.Result, WorkflowJson.Options) : null,
            ErrorJson = _final?.Error is { } error ? JsonSerializer.Serialize(error, WorkflowJson.Options) : null,
            LastSequence = _sequence,
            CreatedAt = _createdAt,
            UpdatedAt = now,
            EndedAt = Ended ? now : null,
        };
    }

    private static StoredItem Encode(RunItem item) =>
        new(item.RunId, item.Sequence, item.Type, item.Timestamp, JsonSerializer.Serialize(item, item.GetType(), WorkflowJson.Options));
}
