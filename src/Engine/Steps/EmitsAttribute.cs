namespace Workflows;

/// <summary>
/// Declares the event types a step produces beyond its return type: the events it sends with
/// <see cref="IStepContext.SendEvent"/>, or the concrete types behind a return type of <see cref="Event"/>.
/// Validation and drawing read these; producing an undeclared type at run time fails the step.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = true)]
public sealed class EmitsAttribute(params Type[] eventTypes) : Attribute
{
    /// <summary>The emitted event types.</summary>
    public IReadOnlyList<Type> EventTypes { get; } = eventTypes;
}
