namespace Workflows;

/// <summary>A run as lists show it.</summary>
/// <param name="Id">The run's id.</param>
/// <param name="Workflow">Workflow name.</param>
/// <param name="Version">The version the run is pinned to.</param>
/// <param name="Status">Current status.</param>
/// <param name="CreatedAt">When it started.</param>
/// <param name="UpdatedAt">When it last changed.</param>
/// <param name="EndedAt">When it ended, or null.</param>
public sealed record RunSummary(string Id, string Workflow, string Version, RunStatus Status, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? EndedAt);
