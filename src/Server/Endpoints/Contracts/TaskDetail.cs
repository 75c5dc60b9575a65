using System.Text.Json.Nodes;

namespace Workflows.Server.Endpoints.Contracts;

/// <summary>A human task: what a person is asked, by which form, and where it stands.</summary>
/// <param name="Id">The task id.</param>
/// <param name="InstanceId">The run that waits for it.</param>
/// <param name="Workflow">The run's workflow.</param>
/// <param name="Step">The step that asked.</param>
/// <param name="Title">What is asked.</param>
/// <param name="Description">More explanation, or null.</param>
/// <param name="FormSchema">The JSON Schema the answer must satisfy.</param>
/// <param name="Assignee">The only user who may complete it, or null.</param>
/// <param name="Group">The group whose members may complete it, or null.</param>
/// <param name="Status"><c>pending</c>, <c>completed</c> or <c>canceled</c>.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="DueAt">The deadline, or null.</param>
/// <param name="Overdue">True while pending past its deadline.</param>
/// <param name="CompletedBy">Who completed it (<c>deadline</c> for a default outcome).</param>
/// <param name="CompletedAt">When it was completed or canceled.</param>
/// <param name="Data">The submitted data, once completed.</param>
/// <param name="CancelReason">Why it was canceled.</param>
public sealed record TaskDetail(
    string Id,
    string InstanceId,
    string Workflow,
    string Step,
    string Title,
    string? Description,
    JsonObject FormSchema,
    string? Assignee,
    string? Group,
    HumanTaskStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DueAt,
    bool Overdue,
    string? CompletedBy,
    DateTimeOffset? CompletedAt,
    JsonObject? Data,
    string? CancelReason)
{
    internal static TaskDetail From(HumanTask task, DateTimeOffset now) => new(
        task.Id, task.RunId, task.Workflow, task.Step, task.Title, task.Description, task.FormSchema, task.Assignee, task.Group,
        task.Status, task.CreatedAt, task.DueAt, task.IsOverdue(now), task.CompletedBy, task.CompletedAt, task.Data, task.CancelReason);
}

/// <summary>One page of tasks, oldest first.</summary>
/// <param name="Items">The tasks.</param>
/// <param name="NextCursor">Pass as <c>?cursor=</c> for the next page; null on the last page.</param>
public sealed record TaskPage(IReadOnlyList<TaskDetail> Items, string? NextCursor);

/// <summary>The answer of <c>POST /api/tasks/{id}/complete</c>.</summary>
/// <param name="Task">The completed task.</param>
/// <param name="RunStatus">The run's status once the answer was applied (<c>running</c>, <c>waiting</c>, or an ending).</param>
public sealed record TaskCompletion(TaskDetail Task, RunStatus RunStatus);
