namespace Workflows;

/// <summary>
/// Marks a method of a <see cref="Workflow"/> as a step. The step is triggered by the type of its event
/// parameter (and every type derived from it), or by the types listed in <see cref="AcceptsAttribute"/>.
/// </summary>
/// <remarks>
/// A step method takes one event parameter and, optionally, an <see cref="IStepContext"/> and a
/// <see cref="CancellationToken"/>, in any order. It returns an event type, <c>Task&lt;T&gt;</c> or
/// <c>ValueTask&lt;T&gt;</c> of one, or nothing (<c>void</c>, <c>Task</c>, <c>ValueTask</c>) when it only sends.
/// A null result emits nothing.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, Inherited = true)]
public sealed class StepAttribute : Attribute
{
    /// <summary>How many invocations of this step may run at once (default 4, as the reference states).</summary>
    public int NumWorkers { get; set; } = StepOptions.DefaultNumWorkers;

    /// <summary>The step's name; by default the method name in snake_case without an <c>Async</c> suffix.</summary>
    public string? Name { get; set; }

    /// <summary>
    /// Bound on one attempt of the step, in seconds (0 = none). An attempt that overruns fails with a
    /// <see cref="StepTimeoutException"/> and its token is cancelled.
    /// </summary>
    public double TimeoutSeconds { get; set; }
}
