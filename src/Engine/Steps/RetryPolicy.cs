namespace Workflows;

/// <summary>How delays between attempts grow.</summary>
public enum BackoffKind
{
    /// <summary>Every delay is the initial interval.</summary>
    Fixed,

    /// <summary>Each delay is the previous one times the backoff coefficient.</summary>
    Exponential,
}

/// <summary>
/// When and how often a failed step is tried again (Temporal's vocabulary). Every attempt is visible on the
/// run's item stream: <c>step.retrying</c> with the error and the delay, then <c>step.started</c> with the
/// next attempt number.
/// </summary>
public sealed record RetryPolicy
{
    /// <summary>No retries: one attempt.</summary>
    public static RetryPolicy None { get; } = new() { MaximumAttempts = 1 };

    /// <summary>Total attempts, the first included (default 3).</summary>
    public int MaximumAttempts { get; init; } = 3;

    /// <summary>Delay before the second attempt (default 1 s).</summary>
    public TimeSpan InitialInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Fixed or exponential (default exponential).</summary>
    public BackoffKind Backoff { get; init; } = BackoffKind.Exponential;

    /// <summary>Multiplier of exponential backoff (default 2.0).</summary>
    public double BackoffCoefficient { get; init; } = 2.0;

    /// <summary>Upper bound of one delay (default 100 × <see cref="InitialInterval"/>).</summary>
    public TimeSpan? MaximumInterval { get; init; }

    /// <summary>Exception types that are retried (and types derived from them); empty means all.</summary>
    public IReadOnlyList<Type> RetryOn { get; init; } = [];

    /// <summary>Whether <paramref name="error"/>, raised by attempt <paramref name="attempt"/>, is retried.</summary>
    public bool ShouldRetry(int attempt, Exception error) =>
        attempt < MaximumAttempts
        && error is not OperationCanceledException
        && (RetryOn.Count == 0 || RetryOn.Any(t => t.IsInstanceOfType(error)));

    /// <summary>The delay after attempt <paramref name="attempt"/> (1-based) failed.</summary>
    public TimeSpan DelayAfter(int attempt)
    {
        // In ticks as a double: growth past TimeSpan's range (about 50 doublings of 1 ms) must hit the cap, not overflow.
        var ticks = Backoff == BackoffKind.Fixed
            ? InitialInterval.Ticks
            : Math.Round(InitialInterval.Ticks * Math.Pow(BackoffCoefficient, attempt - 1));
        var cap = MaximumInterval ?? InitialInterval * 100;
        return ticks > cap.Ticks ? cap : TimeSpan.FromTicks((long)ticks);
    }
}
