using System.ComponentModel;
using Microsoft.AspNetCore.Mvc;

namespace Workflows.Server.Endpoints.Contracts;

/// <summary>The query string of <c>GET /api/instances</c>: filters combine; newest first.</summary>
public sealed record InstanceListQuery
{
    /// <summary>Only instances of this workflow.</summary>
    [FromQuery(Name = "workflow"), Description("Only instances of this workflow.")]
    public string? Workflow { get; init; }

    /// <summary>Only instances with this status.</summary>
    [FromQuery(Name = "status"), Description("Only instances with this status: pending, running, waiting, completed, failed, canceled or timed_out.")]
    public string? Status { get; init; }

    /// <summary>Only the instance started with this correlation id.</summary>
    [FromQuery(Name = "correlationId"), Description("Only the instance started with this correlation id.")]
    public string? CorrelationId { get; init; }

    /// <summary>Page size, 1–500 (default 50).</summary>
    [FromQuery(Name = "limit"), Description("Page size, 1-500 (default 50).")]
    public int? Limit { get; init; }

    /// <summary>The <c>nextCursor</c> of the previous page.</summary>
    [FromQuery(Name = "cursor"), Description("The nextCursor of the previous page (opaque).")]
    public string? Cursor { get; init; }
}
