namespace Workflows;

/// <summary>Filters of the run list (they combine); newest first.</summary>
public sealed record RunListQuery
{
    /// <summary>Only runs of this workflow.</summary>
    public string? Workflow { get; init; }

    /// <summary>Only runs with this status.</summary>
    public RunStatus? Status { get; init; }

    /// <summary>Only the run with this correlation id.</summary>
    public string? CorrelationId { get; init; }

    /// <summary>At most this many (1–500; default 50).</summary>
    public int Limit { get; init; } = 50;

    /// <summary>Continue after this cursor (from a previous page's <see cref="RunPage.NextCursor"/>).</summary>
    public RunCursor? After { get; init; }
}

/// <summary>A position in the newest-first run list: the last run of a page.</summary>
/// <param name="CreatedAt">That run's creation time.</param>
/// <param name="Id">That run's id (breaks ties).</param>
public sealed record RunCursor(DateTimeOffset CreatedAt, string Id);

/// <summary>One page of runs.</summary>
/// <param name="Items">The runs, newest first.</param>
/// <param name="NextCursor">Where the next page starts, or null at the end.</param>
public sealed record RunPage(IReadOnlyList<RunSummary> Items, RunCursor? NextCursor);
