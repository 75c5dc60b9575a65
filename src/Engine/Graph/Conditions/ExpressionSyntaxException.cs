namespace Workflows.Graph.Conditions;

/// <summary>A condition expression that does not parse; the message says where and why.</summary>
internal sealed class ExpressionSyntaxException(string expression, int position, string reason)
    : FormatException($"Invalid condition \"{expression}\" at position {position}: {reason}.");
