namespace Workflows.Persistence.EntityFramework.Entities;

/// <summary>A row of <c>tasks</c>: a <see cref="HumanTask"/> as it is now (replaced on change).</summary>
public sealed class TaskEntity
{
    /// <summary>The task's id (primary key).</summary>
    public string Id { get; set; } = "";

    /// <summary>The run that waits for it.</summary>
    public string RunId { get; set; } = "";

    /// <summary>The run's workflow.</summary>
    public string Workflow { get; set; } = "";

    /// <summary>The step that asked.</summary>
    public string Step { get; set; } = "";

    /// <summary>What is asked.</summary>
    public string Title { get; set; } = "";

    /// <summary>More explanation, or null.</summary>
    public string? Description { get; set; }

    /// <summary>The JSON Schema of the answer, as JSON text.</summary>
    public string FormSchemaJson { get; set; } = "";

    /// <summary>The only user who may complete it, or null.</summary>
    public string? Assignee { get; set; }

    /// <summary>The group whose members may complete it, or null (column <c>group_name</c>).</summary>
    public string? Group { get; set; }

    /// <summary>Pending, completed or canceled, stored by its wire name.</summary>
    public HumanTaskStatus Status { get; set; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The deadline, or null.</summary>
    public DateTimeOffset? DueAt { get; set; }

    /// <summary>Who completed it.</summary>
    public string? CompletedBy { get; set; }

    /// <summary>When it was completed or canceled.</summary>
    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>The submitted data as JSON text, once completed.</summary>
    public string? DataJson { get; set; }

    /// <summary>Why it was canceled.</summary>
    public string? CancelReason { get; set; }

    /// <summary>
    /// What happens at the deadline, as JSON text: <c>{"kind":"default_outcome","data":{…}}</c> or
    /// <c>{"kind":"escalate","group":"…"}</c>; null for none.
    /// </summary>
    public string? OnDueJson { get; set; }
}
