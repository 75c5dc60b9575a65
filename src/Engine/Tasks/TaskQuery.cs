namespace Workflows;

/// <summary>Filters of the task inbox; they combine.</summary>
public sealed record TaskQuery
{
    /// <summary>Only tasks with this status.</summary>
    public HumanTaskStatus? Status { get; init; }

    /// <summary>Only tasks assigned to this user.</summary>
    public string? Assignee { get; init; }

    /// <summary>Only tasks of this group.</summary>
    public string? Group { get; init; }

    /// <summary>Only tasks of this run.</summary>
    public string? RunId { get; init; }

    /// <summary>Only tasks this caller may complete (assigned to them, to one of their groups, or to nobody).</summary>
    public TaskCaller? CompletableBy { get; init; }

    /// <summary>Only tasks after this one in the inbox's order (created at, then id): where the previous page ended.</summary>
    public TaskCursor? After { get; init; }

    /// <summary>At most this many (at least 1); null: every matching task.</summary>
    public int? Limit { get; init; }
}

/// <summary>A place in the inbox's order: the task created at <paramref name="CreatedAt"/> with id <paramref name="Id"/>.</summary>
public sealed record TaskCursor(DateTimeOffset CreatedAt, string Id);
