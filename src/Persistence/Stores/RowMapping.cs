using Workflows.Persistence.EntityFramework.Entities;

namespace Workflows.Persistence.EntityFramework.Stores;

/// <summary>Rows read by EF Core, turned into the port's records.</summary>
internal static class RowMapping
{
    public static RunRecord ToRecord(RunEntity run) => new()
    {
        Id = run.Id,
        Workflow = run.Workflow,
        Version = run.Version,
        Status = run.Status,
        InputJson = run.InputJson,
        CorrelationId = run.CorrelationId,
        ResultJson = run.ResultJson,
        ErrorJson = run.ErrorJson,
        LastSequence = run.LastSequence,
        CreatedAt = run.CreatedAt,
        UpdatedAt = run.UpdatedAt,
        EndedAt = run.EndedAt,
    };

    public static HumanTask ToTask(TaskEntity task) => new()
    {
        Id = task.Id,
        RunId = task.RunId,
        Workflow = task.Workflow,
        Step = task.Step,
        Title = task.Title,
        Description = task.Description,
        FormSchema = TaskJson.ReadObject(task.FormSchemaJson, "form_schema"),
        Assignee = task.Assignee,
        Group = task.Group,
        Status = task.Status,
        CreatedAt = task.CreatedAt,
        DueAt = task.DueAt,
        CompletedBy = task.CompletedBy,
        CompletedAt = task.CompletedAt,
        Data = task.DataJson is null ? null : TaskJson.ReadObject(task.DataJson, "data"),
        CancelReason = task.CancelReason,
        OnDue = TaskJson.ReadDueAction(task.OnDueJson),
    };
}
