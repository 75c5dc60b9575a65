using System.Text.Json;
using System.Text.Json.Nodes;

namespace Workflows.Graph.Conditions;

/// <summary>A parsed condition: a small tree evaluated against context values.</summary>
internal abstract record ExpressionNode
{
    /// <summary>Evaluates to null, a bool, a double or a string; <paramref name="resolve"/> reads a context path.</summary>
    public abstract object? Evaluate(Func<string, JsonNode?> resolve);
}

internal sealed record LiteralNode(object? Value) : ExpressionNode
{
    public override object? Evaluate(Func<string, JsonNode?> resolve) => Value;
}

internal sealed record PathNode(string Path) : ExpressionNode
{
    public override object? Evaluate(Func<string, JsonNode?> resolve) => ExpressionValues.FromJson(resolve(Path));
}

internal sealed record NotNode(ExpressionNode Operand) : ExpressionNode
{
    public override object? Evaluate(Func<string, JsonNode?> resolve) => !ExpressionValues.IsTruthy(Operand.Evaluate(resolve));
}

internal sealed record LogicalNode(string Operator, ExpressionNode Left, ExpressionNode Right) : ExpressionNode
{
    // Short-circuits like C#: the right side is not evaluated when the left decides.
    public override object? Evaluate(Func<string, JsonNode?> resolve) => Operator == "&&"
        ? ExpressionValues.IsTruthy(Left.Evaluate(resolve)) && ExpressionValues.IsTruthy(Right.Evaluate(resolve))
        : ExpressionValues.IsTruthy(Left.Evaluate(resolve)) || ExpressionValues.IsTruthy(Right.Evaluate(resolve));
}

internal sealed record ComparisonNode(string Operator, ExpressionNode Left, ExpressionNode Right) : ExpressionNode
{
    public override object? Evaluate(Func<string, JsonNode?> resolve) =>
        ExpressionValues.Compare(Operator, Left.Evaluate(resolve), Right.Evaluate(resolve));
}

/// <summary>The value rules of conditions: what is true, what compares with what.</summary>
internal static class ExpressionValues
{
    /// <summary>null and false are false; numbers are true unless 0; strings unless empty; anything else true.</summary>
    public static bool IsTruthy(object? value) => value switch
    {
        null => false,
        bool b => b,
        double d => d != 0,
        string s => s.Length > 0,
        _ => true,
    };

    public static object? FromJson(JsonNode? node) => node?.GetValueKind() switch
    {
        null or JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number => node.GetValue<double>(),
        JsonValueKind.String => node.GetValue<string>(),
        _ => node.ToJsonString(), // objects and arrays compare by their JSON text
    };

    /// <summary>
    /// Equality is by value (a number never equals a string); ordering compares numbers with numbers and strings
    /// with strings (ordinal); any other ordering, null included, is false rather than an error.
    /// </summary>
    public static bool Compare(string op, object? left, object? right)
    {
        switch (op)
        {
            case "==":
                return Equals(left, right);
            case "!=":
                return !Equals(left, right);
        }
        int order;
        if (left is double a && right is double b)
        {
            order = a.CompareTo(b);
        }
        else if (left is string x && right is string y)
        {
            order = string.CompareOrdinal(x, y);
        }
        else
        {
            return false;
        }
        return op switch
        {
            "<" => order < 0,
            "<=" => order <= 0,
            ">" => order > 0,
            ">=" => order >= 0,
            _ => throw new InvalidOperationException($"Unknown operator {op}."),
        };
    }
}
