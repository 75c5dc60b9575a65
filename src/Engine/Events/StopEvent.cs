namespace Workflows;

/// <summary>
/// Ends the run. The <b>first</b> stop event produced wins: in-flight steps are cancelled, queued events are
/// dropped and the run completes with <see cref="Result"/>. A custom stop event (a record deriving from this
/// one) that sets no <see cref="Result"/> is itself the run's result.
/// </summary>
public record StopEvent : Event
{
    /// <summary>Creates a stop event with the given result.</summary>
    public StopEvent(object? result = null) => Result = result;

    /// <summary>The run's result; it must be JSON-serialisable, since it is stored and sent to clients.</summary>
    public object? Result { get; init; }

    /// <summary>The value the run reports as its result.</summary>
    internal object? RunResult => Result ?? (GetType() == typeof(StopEvent) ? null : this);
}
