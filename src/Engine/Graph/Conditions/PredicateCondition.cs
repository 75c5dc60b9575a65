namespace Workflows;

/// <summary>A condition written in C#.</summary>
public sealed class PredicateCondition(Func<WorkflowContext, bool> predicate, string? label = null) : EdgeCondition
{
    private readonly Func<WorkflowContext, bool> _predicate = predicate ?? throw new ArgumentNullException(nameof(predicate));

    /// <inheritdoc/>
    public override string Text { get; } = label ?? "predicate";

    /// <inheritdoc/>
    public override bool Evaluate(WorkflowContext context) => _predicate(context);
}
