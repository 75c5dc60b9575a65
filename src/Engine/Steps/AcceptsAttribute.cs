namespace Workflows;

/// <summary>
/// Lists the event types a step accepts when it takes more than one (C# has no union parameter types): the
/// event parameter is then typed as a common base, usually <see cref="Event"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = true)]
public sealed class AcceptsAttribute(params Type[] eventTypes) : Attribute
{
    /// <summary>The accepted event types.</summary>
    public IReadOnlyList<Type> EventTypes { get; } = eventTypes;
}
