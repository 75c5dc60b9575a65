namespace Workflows;

/// <summary>The run has ended, so it takes no more events or cancels.</summary>
public sealed class RunEndedException(string runId, RunStatus status)
    : InvalidOperationException($"Run {runId} has ended ({status.ToWireName()}).")
{
    /// <summary>The run.</summary>
    public string RunId { get; } = runId;

    /// <summary>How it ended.</summary>
    public RunStatus Status { get; } = status;
}

/// <summary>A run with this correlation id exists already; <see cref="ExistingRunId"/> names it.</summary>
public sealed class DuplicateCorrelationException(string correlationId, string existingRunId)
    : InvalidOperationException($"A run with correlation id '{correlationId}' exists already: {existingRunId}.")
{
    /// <summary>The correlation id asked for.</summary>
    public string CorrelationId { get; } = correlationId;

    /// <summary>The run that has it.</summary>
    public string ExistingRunId { get; } = existingRunId;
}
