namespace Workflows;

/// <summary>
/// A transition from <see cref="Source"/> to <see cref="Target"/>, followed when its condition holds (always when
/// it has none). Conditions are a C# predicate over the context, or a string expression such as
/// <c>amount &gt; 1000 &amp;&amp; region == "EU"</c>, parsed when the definition is registered.
/// </summary>
public sealed record Edge
{
    /// <summary>An unconditional edge.</summary>
    public Edge(string source, string target)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        ArgumentException.ThrowIfNullOrWhiteSpace(target);
        Source = source;
        Target = target;
    }

    /// <summary>An edge followed when <paramref name="expression"/> holds.</summary>
    public Edge(string source, string target, string expression) : this(source, target) =>
        Condition = new ExpressionCondition(expression);

    /// <summary>An edge followed when <paramref name="predicate"/> holds; <paramref name="label"/> names it in drawings.</summary>
    public Edge(string source, string target, Func<WorkflowContext, bool> predicate, string? label = null) : this(source, target) =>
        Condition = new PredicateCondition(predicate, label);

    /// <summary>The step the edge leaves.</summary>
    public string Source { get; }

    /// <summary>The step it enters.</summary>
    public string Target { get; }

    /// <summary>The condition, or null for always.</summary>
    public EdgeCondition? Condition { get; init; }

    /// <inheritdoc/>
    public override string ToString() => Condition is null ? $"{Source} → {Target}" : $"{Source} → {Target} [{Condition.Text}]";
}
