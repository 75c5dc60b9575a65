namespace Workflows;

/// <summary>
/// Runs its members concurrently (at most <see cref="MaxConcurrency"/> at once when set), waits for all, then runs
/// <see cref="Callback"/> (the chord), which reads every member's output with <see cref="WorkflowContext.GetOutput{T}"/>.
/// Usable as a step of a definition: its outgoing edges are followed once the callback (or the last member) is done.
/// </summary>
public sealed class ParallelGroup : GraphStep
{
    /// <summary>Creates a group named <paramref name="name"/> of <paramref name="steps"/>.</summary>
    public ParallelGroup(string name, IReadOnlyList<GraphStep> steps, BaseMachineStep? callback = null, int? maxConcurrency = null)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(steps);
        Steps = steps;
        Callback = callback;
        MaxConcurrency = maxConcurrency;
    }

    /// <summary>The members: machine steps and human steps (a group of approvals waits for every person).</summary>
    public IReadOnlyList<GraphStep> Steps { get; }

    /// <summary>Runs after every member, or null.</summary>
    public BaseMachineStep? Callback { get; }

    /// <summary>Upper bound of members running at once; null = all at once.</summary>
    public int? MaxConcurrency { get; }
}
