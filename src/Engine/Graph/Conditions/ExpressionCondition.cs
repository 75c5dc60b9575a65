using Workflows.Graph.Conditions;

namespace Workflows;

/// <summary>
/// A condition written as text, e.g. <c>amount &gt; 1000 &amp;&amp; region == "EU"</c>: parsed once at registration
/// and evaluated against the context at run time. It can only read context values: no calls, no reflection, no
/// I/O, and its cost is bounded by its (limited) size. The grammar is in docs/graph.md.
/// </summary>
public sealed class ExpressionCondition : EdgeCondition
{
    private ExpressionNode? _compiled;

    /// <summary>Creates a condition from <paramref name="expression"/>; it is parsed when the definition is registered.</summary>
    public ExpressionCondition(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        Text = expression;
    }

    /// <inheritdoc/>
    public override string Text { get; }

    /// <inheritdoc/>
    public override bool Evaluate(WorkflowContext context) =>
        ExpressionValues.IsTruthy(Compiled.Evaluate(path => context.Get<System.Text.Json.Nodes.JsonNode>(path)));

    private ExpressionNode Compiled => _compiled ??= ExpressionParser.Parse(Text);

    internal override string? Validate()
    {
        try
        {
            _compiled = ExpressionParser.Parse(Text);
            return null;
        }
        catch (ExpressionSyntaxException error)
        {
            return error.Message;
        }
    }
}
