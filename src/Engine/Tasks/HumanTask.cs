using System.Text.Json.Nodes;

namespace Workflows;

/// <summary>A request for a person's input in the middle of a run (a snapshot: the service replaces it on change).</summary>
public sealed record HumanTask
{
    /// <summary>The task's id.</summary>
    public required string Id { get; init; }

    /// <summary>The run that waits for it.</summary>
    public required string RunId { get; init; }

    /// <summary>The run's workflow.</summary>
    public required string Workflow { get; init; }

    /// <summary>The step that asked (the human step, or the event-driven step that returned the request).</summary>
    public required string Step { get; init; }

    /// <summary>What is asked.</summary>
    public required string Title { get; init; }

    /// <summary>More explanation, or null.</summary>
    public string? Description { get; init; }

    /// <summary>The JSON Schema the answer must satisfy.</summary>
    public required JsonObject FormSchema { get; init; }

    /// <summary>The only user who may complete it, or null.</summary>
    public string? Assignee { get; init; }

    /// <summary>The group whose members may complete it, or null.</summary>
    public string? Group { get; init; }

    /// <summary>Pending, completed or canceled.</summary>
    public HumanTaskStatus Status { get; init; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>The deadline, or null.</summary>
    public DateTimeOffset? DueAt { get; init; }

    /// <summary>Who completed it (<c>deadline</c> for a default outcome).</summary>
    public string? CompletedBy { get; init; }

    /// <summary>When it was completed or canceled.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>The submitted data, once completed.</summary>
    public JsonObject? Data { get; init; }

    /// <summary>Why it was canceled.</summary>
    public string? CancelReason { get; init; }

    /// <summary>What happens at the deadline (not shown to clients).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public DueAction? OnDue { get; init; }

    /// <summary>True while pending past its deadline.</summary>
    public bool IsOverdue(DateTimeOffset now) => Status == HumanTaskStatus.Pending && DueAt is { } due && due < now;

    /// <summary>Whether <paramref name="caller"/> may complete it: anyone when it names no assignee and no group.</summary>
    public bool MayBeCompletedBy(TaskCaller caller) =>
        (Assignee is null && Group is null)
        || (Assignee is not null && string.Equals(Assignee, caller.User, StringComparison.Ordinal))
        || (Group is not null && caller.Groups.Contains(Group, StringComparer.Ordinal));
}
