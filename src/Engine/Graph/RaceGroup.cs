namespace Workflows;

/// <summary>
/// Runs its members concurrently; the first to <b>succeed</b> wins, its output is the group's output, and the
/// others are cancelled through their token and recorded <c>canceled</c>. If every member fails, the group fails
/// with all their errors.
/// </summary>
public sealed class RaceGroup : GraphStep
{
    /// <summary>Creates a race named <paramref name="name"/> of <paramref name="steps"/>.</summary>
    public RaceGroup(string name, params IReadOnlyList<BaseMachineStep> steps) : base(name)
    {
        ArgumentNullException.ThrowIfNull(steps);
        Steps = steps;
    }

    /// <summary>The members.</summary>
    public IReadOnlyList<BaseMachineStep> Steps { get; }
}
