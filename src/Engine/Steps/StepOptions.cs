namespace Workflows;

/// <summary>
/// A step's execution options, whatever style declared them: worker count, retry policy, per-attempt
/// timeout. <c>[Step(NumWorkers = n)]</c>, <c>[Retry(...)]</c> and a graph step's properties all fill this record.
/// </summary>
public sealed record StepOptions
{
    /// <summary>The default worker count of an event-driven step.</summary>
    public const int DefaultNumWorkers = 4;

    /// <summary>Default options.</summary>
    public static StepOptions Default { get; } = new();

    /// <summary>At most this many invocations of the step run at once; the rest wait in FIFO order.</summary>
    public int NumWorkers { get; init; } = DefaultNumWorkers;

    /// <summary>What happens when an attempt fails.</summary>
    public RetryPolicy Retry { get; init; } = RetryPolicy.None;

    /// <summary>Bound on one attempt (Temporal's start-to-close); null = none.</summary>
    public TimeSpan? Timeout { get; init; }
}
