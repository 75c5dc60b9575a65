namespace Workflows;

/// <summary>Thrown when the result of a run that did not complete is asked for.</summary>
public sealed class WorkflowRunException(string runId, RunOutcome outcome)
    : Exception($"Run {runId} ended as {outcome.Status.ToWireName()}: {outcome.Error?.Message}", outcome.Error?.Exception)
{
    /// <summary>The run's id.</summary>
    public string RunId { get; } = runId;

    /// <summary>How it ended.</summary>
    public RunOutcome Outcome { get; } = outcome;
}
