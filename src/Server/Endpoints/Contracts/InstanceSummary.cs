namespace Workflows.Server.Endpoints.Contracts;

/// <summary>A run (instance) as lists show it.</summary>
/// <param name="Id">The instance id.</param>
/// <param name="Workflow">Workflow name.</param>
/// <param name="Version">The workflow version the run is pinned to.</param>
/// <param name="Status"><c>pending</c>, <c>running</c>, <c>waiting</c>, <c>completed</c>, <c>failed</c>, <c>canceled</c> or <c>timed_out</c>.</param>
/// <param name="CreatedAt">When it started.</param>
/// <param name="UpdatedAt">When it last changed.</param>
/// <param name="EndedAt">When it ended, or null.</param>
public sealed record InstanceSummary(string Id, string Workflow, string Version, RunStatus Status, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? EndedAt)
{
    internal static InstanceSummary From(RunSummary run) =>
        new(run.Id, run.Workflow, run.Version, run.Status, run.CreatedAt, run.UpdatedAt, run.EndedAt);
}

/// <summary>One page of instances, newest first.</summary>
/// <param name="Items">The instances.</param>
/// <param name="NextCursor">Pass as <c>?cursor=</c> for the next page; null on the last page.</param>
public sealed record InstancePage(IReadOnlyList<InstanceSummary> Items, string? NextCursor);
