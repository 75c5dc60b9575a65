using System.Text.Json.Nodes;
using Workflows.Model;
using Workflows.Runtime.Ticks;
using Workflows.Persistence;

namespace Workflows.Runtime;

/// <summary>
/// The open human tasks of one run and their deadline timers. Owned by the run's loop; the engine-wide
/// <see cref="HumanTaskService"/> holds the task records everyone reads.
/// </summary>
internal sealed class RunTasks(RunLoop loop, HumanTaskService service)
{
    // Made when the run opens its first task: most runs never do.
    private Dictionary<string, (StepModel? Step, ITimer? Deadline)>? _openTasks;
    private List<HumanTask>? _changedTasks;

    private Dictionary<string, (StepModel? Step, ITimer? Deadline)> OpenTasks => _openTasks ??= new(StringComparer.Ordinal);

    private List<HumanTask> ChangedTasks => _changedTasks ??= [];

    public int OpenCount => _openTasks?.Count ?? 0;

    /// <summary>Whether tasks were opened or changed since the last commit.</summary>
    public bool HasChanges => _changedTasks is { Count: > 0 };

    /// <summary>The tasks opened or changed since the last commit, as they are now.</summary>
    public IReadOnlyList<HumanTask> DrainChanges()
    {
        var changes = ChangedTasks.ToArray();
        ChangedTasks.Clear();
        return changes;
    }

    /// <summary>Re-opens a persisted pending task after a restart, re-arming its deadline (at once if it passed).</summary>
    public void Restore(HumanTask task)
    {
        service.Open(task);
        var deadline = task.DueAt is { } due ? ArmDeadline(task.Id, due - loop.Time.GetUtcNow()) : null;
        var step = loop.Model.Graph is null ? null : loop.Model.FindStep(task.Step);
        OpenTasks[task.Id] = (step, deadline);
    }

    public IReadOnlyList<string> OpenIds => _openTasks is { Count: > 0 } open ? open.Keys.ToArray() : [];

    public HumanTaskService Service => service;

    /// <summary>
    /// Opens a task for a graph human step. When the assignee comes from the context and is not there as a
    /// non-empty string, no task opens (it would be open to anyone) and the error to fail the run is returned.
    /// </summary>
    public RunError? Open(HumanStep human, StepModel step)
    {
        var assignee = human.Assignee;
        if (human.AssigneeFrom is { } path)
        {
            assignee = loop.Store.Get<JsonNode>(path) is JsonValue value && value.TryGetValue<string>(out var name) && name.Length > 0 ? name : null;
            if (assignee is null)
            {
                return new RunError(human.Name, "assignee_missing",
                    $"Human step '{human.Name}' takes its assignee from the context path '{path}', which holds no user name.");
            }
        }
        return Open(human.Name, step.Group, step, human.Title, human.Description, human.FormSchema, assignee, human.Group, human.Due, human.OnDue);
    }

    /// <summary>Opens a task for an event-driven step's <see cref="InputRequiredEvent"/>; the error to fail the run with, when it cannot.</summary>
    public RunError? Open(InputRequiredEvent request, string step) =>
        Open(step, null, null, request.Title, request.Description, request.FormSchema, request.Assignee, request.Group, request.Due, request.OnDue);

    /// <summary>Closes an open task with <paramref name="change"/>; null when it was not open (already closed).</summary>
    public (HumanTask Task, StepModel? Step)? Close(string taskId, Func<HumanTask, HumanTask> change)
    {
        if (!OpenTasks.Remove(taskId, out var entry))
        {
            return null;
        }
        entry.Deadline?.Dispose();
        return Changed(service.Update(taskId, change)) is { } closed ? (closed, entry.Step) : null;
    }

    /// <summary>Hands an open task to another group at its deadline; it stays open.</summary>
    public HumanTask? Escalate(string taskId, string group) =>
        OpenTasks.ContainsKey(taskId) ? Changed(service.Update(taskId, t => t with { Group = group, Assignee = null })) : null;

    /// <summary>Closes every open task because the run ended.</summary>
    public void CancelAll(string reason)
    {
        if (OpenCount > 0)
        {
            CancelOpen(reason);
        }
    }

    // Apart from CancelAll: the lambda's captured reason would make C# allocate its closure on every call.
    private void CancelOpen(string reason)
    {
        foreach (var taskId in OpenIds)
        {
            if (Close(taskId, t => t with { Status = HumanTaskStatus.Canceled, CancelReason = reason, CompletedAt = loop.Time.GetUtcNow() }) is { } closed)
            {
                loop.Append(new TaskCanceled(taskId, closed.Task.Step, reason));
            }
        }
    }

    private RunError? Open(string step, string? group, StepModel? graphStep, string title, string? description, JsonObject schema,
        string? assignee, string? assignedGroup, TimeSpan? due, DueAction? onDue)
    {
        // Text a step made (from its input, a file, a service) goes to the task's columns as it is: refused here, the
        // run fails saying why; stored, one such commit would hold back every run's commits while it is retried.
        foreach (var (field, text) in new[] { ("title", title), ("description", description), ("assignee", assignee), ("group", assignedGroup), ("escalation group", (onDue as EscalateAction)?.Group) })
        {
            if (!StorableText.IsStorable(text))
            {
                return new RunError(step, "invalid_task", $"Step '{step}' asked for a task whose {field} {StorableText.Problem}.");
            }
        }
        var now = loop.Time.GetUtcNow();
        var task = Changed(service.Open(new HumanTask
        {
            Id = Guid.CreateVersion7().ToString("N"),
            RunId = loop.RunId,
            Workflow = loop.Model.Name,
            Step = step,
            Title = title,
            Description = description,
            FormSchema = (JsonObject)schema.DeepClone(),
            Assignee = assignee,
            Group = assignedGroup,
            Status = HumanTaskStatus.Pending,
            CreatedAt = now,
            DueAt = now + due,
            OnDue = onDue,
        }))!;
        var deadline = due is { } wait ? ArmDeadline(task.Id, wait) : null;
        OpenTasks[task.Id] = (graphStep, deadline);
        loop.Append(new TaskCreated(task.Id, step, title, assignee, assignedGroup, task.DueAt) { StepGroup = group });
        return null;
    }

    private ITimer ArmDeadline(string taskId, TimeSpan wait) => loop.Time.CreateTimer(static state =>
    {
        var (owner, id) = ((RunLoop, string))state!;
        owner.Post(new TaskDeadlinePassed(id));
    }, (loop, taskId), wait < TimeSpan.Zero ? TimeSpan.Zero : wait, Timeout.InfiniteTimeSpan);

    private HumanTask? Changed(HumanTask? task)
    {
        if (task is not null)
        {
            ChangedTasks.Add(task);
        }
        return task;
    }
}
