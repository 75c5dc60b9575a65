namespace Workflows;

/// <summary>Gives a step a <see cref="RetryPolicy"/>; sugar over that record for attribute-style steps.</summary>
[AttributeUsage(AttributeTargets.Method, Inherited = true)]
public sealed class RetryAttribute(int maximumAttempts) : Attribute
{
    /// <summary>Total attempts, the first included.</summary>
    public int MaximumAttempts { get; } = maximumAttempts;

    /// <summary>Delay before the second attempt, in milliseconds.</summary>
    public int InitialIntervalMs { get; set; } = 1000;

    /// <summary>Fixed delays, or delays multiplied by <see cref="BackoffCoefficient"/> after each attempt.</summary>
    public BackoffKind Backoff { get; set; } = BackoffKind.Exponential;

    /// <summary>Multiplier of exponential backoff.</summary>
    public double BackoffCoefficient { get; set; } = 2.0;

    /// <summary>Upper bound of one delay in milliseconds (0 = 100 × the initial interval).</summary>
    public int MaximumIntervalMs { get; set; }

    /// <summary>Retry only these exception types (and derived ones); empty = every exception.</summary>
    public Type[] RetryOn { get; set; } = [];

    internal RetryPolicy ToPolicy() => new()
    {
        MaximumAttempts = MaximumAttempts,
        InitialInterval = TimeSpan.FromMilliseconds(InitialIntervalMs),
        Backoff = Backoff,
        BackoffCoefficient = BackoffCoefficient,
        MaximumInterval = MaximumIntervalMs > 0 ? TimeSpan.FromMilliseconds(MaximumIntervalMs) : null,
        RetryOn = RetryOn,
    };
}
