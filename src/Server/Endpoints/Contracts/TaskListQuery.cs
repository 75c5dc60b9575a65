using System.ComponentModel;
using Microsoft.AspNetCore.Mvc;

namespace Workflows.Server.Endpoints.Contracts;

/// <summary>The query string of <c>GET /api/tasks</c>: filters combine; oldest first.</summary>
public sealed record TaskListQuery
{
    /// <summary>Only tasks with this status.</summary>
    [FromQuery(Name = "status"), Description("Only tasks with this status: pending, completed or canceled.")]
    public string? Status { get; init; }

    /// <summary>Only tasks assigned to this user.</summary>
    [FromQuery(Name = "assignee"), Description("Only tasks assigned to this user.")]
    public string? Assignee { get; init; }

    /// <summary>Only tasks of this group.</summary>
    [FromQuery(Name = "group"), Description("Only tasks of this group.")]
    public string? Group { get; init; }

    /// <summary>Only tasks of this instance.</summary>
    [FromQuery(Name = "instance"), Description("Only tasks of this instance (its id).")]
    public string? Instance { get; init; }

    /// <summary>Page size, 1–500 (default 50).</summary>
    [FromQuery(Name = "limit"), Description("Page size, 1-500 (default 50).")]
    public int? Limit { get; init; }

    /// <summary>The <c>nextCursor</c> of the previous page.</summary>
    [FromQuery(Name = "cursor"), Description("The nextCursor of the previous page (opaque).")]
    public string? Cursor { get; init; }
}
