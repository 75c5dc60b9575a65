namespace Workflows;

/// <summary>When an <see cref="Edge"/> is followed.</summary>
public abstract class EdgeCondition
{
    /// <summary>How drawings and the API show the condition.</summary>
    public abstract string Text { get; }

    /// <summary>Whether the edge is followed, given the run's context.</summary>
    public abstract bool Evaluate(WorkflowContext context);

    /// <summary>Checks the condition when the definition is registered; returns an error message or null.</summary>
    internal virtual string? Validate() => null;
}
