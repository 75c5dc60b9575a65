namespace Workflows;

/// <summary>One attempt of one step, as its items recorded it.</summary>
/// <param name="Step">The step.</param>
/// <param name="Group">Its group, for members and callbacks.</param>
/// <param name="Status">running, completed, failed, retrying (failed, another attempt follows), skipped or canceled.</param>
/// <param name="Attempt">From 1.</param>
/// <param name="Worker">The worker slot.</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="EndedAt">When it ended, or null while running.</param>
/// <param name="Error">The failure, for failed and retrying attempts.</param>
public sealed record StepExecution(string Step, string? Group, string Status, int Attempt, int Worker, DateTimeOffset StartedAt, DateTimeOffset? EndedAt, RunError? Error);
