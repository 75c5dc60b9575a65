namespace Workflows;

/// <summary>
/// What a running step can do besides returning an event: send events, collect them, read and edit the run's
/// state, write progress to the run's stream. One context per invocation.
/// </summary>
public interface IStepContext
{
    /// <summary>The run this invocation belongs to.</summary>
    string RunId { get; }

    /// <summary>The step's name.</summary>
    string StepName { get; }

    /// <summary>The worker slot (0 .. NumWorkers-1) this invocation occupies.</summary>
    int Worker { get; }

    /// <summary>The attempt number, 1 for the first.</summary>
    int Attempt { get; }

    /// <summary>Cancelled when the run ends (first StopEvent, failure, timeout, cancel) or the attempt times out.</summary>
    CancellationToken CancellationToken { get; }

    /// <summary>The run's key/value state.</summary>
    StateStore Store { get; }

    /// <summary>
    /// Enqueues <paramref name="ev"/> (never lost, in call order, before the event the step returns): at once, or, while
    /// a cheap step's synchronous code runs, with its outcome or at its first await (docs/event-driven.md, "Where steps
    /// run"). With <paramref name="step"/> it goes to that step only.
    /// </summary>
    /// <exception cref="ArgumentException">The target step does not exist or does not accept the event's type.</exception>
    void SendEvent(Event ev, string? step = null);

    /// <summary>
    /// Adds <paramref name="ev"/> to this step's collect buffer. Returns null until the buffer holds one event for
    /// every entry of <paramref name="types"/>; then returns them ordered by <paramref name="types"/> (same-type
    /// events in arrival order) and keeps any surplus for the next collection.
    /// </summary>
    IReadOnlyList<Event>? CollectEvents(Event ev, IReadOnlyList<Type> types, string? bufferId = null);

    /// <summary>Publishes <paramref name="data"/> on the run's item stream as a <c>stream</c> item.</summary>
    void WriteEventToStream(object? data);
}
