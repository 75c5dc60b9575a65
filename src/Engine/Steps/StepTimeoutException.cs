namespace Workflows;

/// <summary>An attempt of a step ran longer than its timeout.</summary>
public sealed class StepTimeoutException(string step, TimeSpan timeout)
    : TimeoutException($"Step '{step}' timed out after {timeout.TotalSeconds:0.###} s.")
{
    /// <summary>The step that overran.</summary>
    public string Step { get; } = step;

    /// <summary>The bound it overran.</summary>
    public TimeSpan Timeout { get; } = timeout;
}
