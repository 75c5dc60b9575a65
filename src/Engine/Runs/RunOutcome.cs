namespace Workflows;

/// <summary>How a run ended: its terminal status, the result when it completed, the error otherwise.</summary>
public sealed record RunOutcome(RunStatus Status, object? Result, RunError? Error)
{
    /// <summary>For a completed run, the stop event that ended it.</summary>
    public StopEvent? StopEvent { get; init; }
}
