using System.Text.Json.Nodes;
using Workflows.Runtime;
using Workflows.Runtime.Ticks;
using Workflows.Persistence;

namespace Workflows;

/// <summary>
/// The human tasks of every run of an engine: the inbox (list, get) and the two ways a person acts on a task
/// (complete, cancel). Completion is checked here (caller, status, form) and then applied by the run's loop, which
/// resumes the waiting branch; the call returns once the loop has done so.
/// </summary>
public sealed class HumanTaskService
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, HumanTask> _tasks = new(StringComparer.Ordinal);
    // The inbox's order (created at, then id), so a page is read in order from where the last one ended, not sorted
    // from every task on each request.
    private readonly SortedSet<(DateTimeOffset CreatedAt, string Id)> _order = new(Comparer<(DateTimeOffset CreatedAt, string Id)>.Create(
        static (a, b) => a.CreatedAt != b.CreatedAt ? a.CreatedAt.CompareTo(b.CreatedAt) : string.CompareOrdinal(a.Id, b.Id)));
    private readonly HashSet<string> _claimed = new(StringComparer.Ordinal);
    private readonly Func<string, RunLoop?> _findRun;
    private readonly TimeProvider _time;

    internal HumanTaskService(IFormValidator validator, Func<string, RunLoop?> findRun, TimeProvider time)
    {
        Validator = validator;
        _findRun = findRun;
        _time = time;
    }

    /// <summary>The form validator the tasks are checked with.</summary>
    public IFormValidator Validator { get; }

    /// <summary>
    /// The tasks matching <paramref name="query"/>, oldest first (created at, then id): after its cursor, at most its
    /// limit. Ask for one more than a page holds to learn whether another page follows.
    /// </summary>
    public IReadOnlyList<HumanTask> List(TaskQuery? query = null)
    {
        query ??= new TaskQuery();
        if (query.Limit is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(query), query.Limit, "A task query's limit must be at least 1.");
        }
        var matches = new List<HumanTask>();
        lock (_gate)
        {
            foreach (var key in From(query.After))
            {
                var task = _tasks[key.Id];
                if ((query.Status is null || task.Status == query.Status)
                    && (query.Assignee is null || string.Equals(task.Assignee, query.Assignee, StringComparison.Ordinal))
                    && (query.Group is null || string.Equals(task.Group, query.Group, StringComparison.Ordinal))
                    && (query.RunId is null || string.Equals(task.RunId, query.RunId, StringComparison.Ordinal))
                    && (query.CompletableBy is null || task.MayBeCompletedBy(query.CompletableBy)))
                {
                    matches.Add(task);
                    if (matches.Count == query.Limit)
                    {
                        break;
                    }
                }
            }
        }
        return matches;
    }

    /// <summary>The inbox's order after <paramref name="after"/> (all of it without a cursor); under the gate.</summary>
    private IEnumerable<(DateTimeOffset CreatedAt, string Id)> From(TaskCursor? after)
    {
        if (after is null)
        {
            return _order;
        }
        var start = (after.CreatedAt, after.Id);
        if (_order.Count == 0 || _order.Comparer.Compare(start, _order.Max) >= 0)
        {
            return [];
        }
        // The view includes its lower bound: the cursor's own task belongs to the page before.
        return _order.GetViewBetween(start, _order.Max).SkipWhile(key => _order.Comparer.Compare(key, start) == 0);
    }

    /// <summary>The task, or null.</summary>
    public HumanTask? Get(string taskId)
    {
        lock (_gate)
        {
            return _tasks.GetValueOrDefault(taskId);
        }
    }

    /// <summary>
    /// Completes a task with <paramref name="data"/> on behalf of <paramref name="caller"/>, and returns once the run
    /// has resumed the branch. Nothing is stored unless every check passes.
    /// </summary>
    /// <exception cref="TaskNotFoundException">No such task.</exception>
    /// <exception cref="TaskForbiddenException">The caller is not the assignee nor in the task's group; the task stays open.</exception>
    /// <exception cref="TaskConflictException">The task is already completed or canceled, or its run has ended.</exception>
    /// <exception cref="FormValidationException">The data violates the form; every violation is listed.</exception>
    public async Task<TaskCompletionResult> CompleteAsync(string taskId, JsonNode? data, TaskCaller caller, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        StorableText.ThrowIfUnstorable(caller.User, nameof(caller)); // stored as the task's completed_by
        var task = Get(taskId) ?? throw new TaskNotFoundException(taskId);
        if (!task.MayBeCompletedBy(caller))
        {
            throw new TaskForbiddenException(taskId, $"Task '{taskId}' may be completed only by {Who(task)}; '{caller.User}' is not.");
        }
        EnsurePending(task);
        var errors = data is JsonObject ? Validator.Validate(task.FormSchema, data) : [new FieldError("", "must be an object")];
        if (errors.Count > 0)
        {
            throw new FormValidationException(taskId, errors);
        }
        Claim(task);
        var acknowledged = new TaskCompletionSource<TaskCompletionResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var answer = new TaskAnswered(taskId, (JsonObject)data!.DeepClone(), caller.User, acknowledged);
        if (_findRun(task.RunId) is not { } run || !run.Post(answer))
        {
            Unclaim(taskId);
            throw new TaskConflictException(taskId, $"Task '{taskId}' belongs to run {task.RunId}, which has ended.");
        }
        return await acknowledged.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Withdraws a pending task: its branch does not resume (a graph step's outgoing edges count as not taken; an
    /// event-driven run gets no response). Returns the canceled task.
    /// </summary>
    /// <exception cref="TaskNotFoundException">No such task.</exception>
    /// <exception cref="TaskForbiddenException">The caller may not act on it.</exception>
    /// <exception cref="TaskConflictException">It is no longer pending.</exception>
    public async Task<HumanTask> CancelAsync(string taskId, TaskCaller caller, string? reason = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        StorableText.ThrowIfUnstorable(reason, nameof(reason));
        var task = Get(taskId) ?? throw new TaskNotFoundException(taskId);
        if (!task.MayBeCompletedBy(caller))
        {
            throw new TaskForbiddenException(taskId, $"Task '{taskId}' may be canceled only by {Who(task)}; '{caller.User}' is not.");
        }
        EnsurePending(task);
        Claim(task);
        var acknowledged = new TaskCompletionSource<HumanTask>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (_findRun(task.RunId) is not { } run || !run.Post(new TaskWithdrawn(taskId, reason ?? $"canceled by {caller.User}", acknowledged)))
        {
            Unclaim(taskId);
            throw new TaskConflictException(taskId, $"Task '{taskId}' belongs to run {task.RunId}, which has ended.");
        }
        return await acknowledged.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds a stored task this process did not create (after a restart), unless it is known already.</summary>
    internal void Remember(HumanTask task)
    {
        lock (_gate)
        {
            if (_tasks.TryAdd(task.Id, task))
            {
                _order.Add((task.CreatedAt, task.Id));
            }
        }
    }

    internal HumanTask Open(HumanTask task)
    {
        lock (_gate)
        {
            _tasks.Add(task.Id, task);
            _order.Add((task.CreatedAt, task.Id));
        }
        return task;
    }

    /// <summary>Applies a change to a pending task (loop only); null when it is no longer pending.</summary>
    internal HumanTask? Update(string taskId, Func<HumanTask, HumanTask> change)
    {
        lock (_gate)
        {
            if (!_tasks.TryGetValue(taskId, out var task) || task.Status != HumanTaskStatus.Pending)
            {
                return null;
            }
            var changed = change(task);
            _tasks[taskId] = changed;
            if (changed.CreatedAt != task.CreatedAt)
            {
                _order.Remove((task.CreatedAt, task.Id));
                _order.Add((changed.CreatedAt, changed.Id));
            }
            if (changed.Status != HumanTaskStatus.Pending)
            {
                _claimed.Remove(taskId);
            }
            return changed;
        }
    }

    internal void Unclaim(string taskId)
    {
        lock (_gate)
        {
            _claimed.Remove(taskId);
        }
    }

    internal DateTimeOffset Now => _time.GetUtcNow();

    private void Claim(HumanTask task)
    {
        lock (_gate)
        {
            var current = _tasks[task.Id];
            if (current.Status != HumanTaskStatus.Pending || !_claimed.Add(task.Id))
            {
                throw Conflict(current.Status == HumanTaskStatus.Pending ? current with { Status = HumanTaskStatus.Completed } : current);
            }
        }
    }

    private void EnsurePending(HumanTask task)
    {
        if (task.Status != HumanTaskStatus.Pending)
        {
            throw Conflict(task);
        }
        if (_findRun(task.RunId) is null)
        {
            throw new TaskConflictException(task.Id, $"Task '{task.Id}' belongs to run {task.RunId}, which has ended.");
        }
    }

    private static TaskConflictException Conflict(HumanTask task) => new(task.Id, task.Status == HumanTaskStatus.Canceled
        ? $"Task '{task.Id}' was canceled{(task.CancelReason is null ? "" : $" ({task.CancelReason})")}; it cannot be completed."
        : $"Task '{task.Id}' is already completed{(task.CompletedBy is null ? "" : $" by {task.CompletedBy}")}.");

    private static string Who(HumanTask task) => (task.Assignee, task.Group) switch
    {
        ({ } user, { } group) => $"'{user}' or a member of '{group}'",
        ({ } user, null) => $"'{user}'",
        (null, { } group) => $"a member of '{group}'",
        _ => "anyone",
    };
}
