namespace Workflows.Runtime;

/// <summary>What a graph step's body reports to the loop (its output is already recorded).</summary>
internal sealed record GraphStepResult(bool WasSkipped) : Event
{
    public static GraphStepResult Completed { get; } = new(false);

    public static GraphStepResult Skipped { get; } = new(true);
}
