using Workflows.Model;

namespace Workflows;

/// <summary>
/// The records of the three items every step makes, built in one place: at once on the durable path (to be persisted),
/// on first read from the item log's compact entries in memory. One factory, so the two cannot drift apart.
/// </summary>
internal static class StepItems
{
    public static StepStarted Started(StepModel step, int worker, int attempt, string? eventType) =>
        new(step.Name, worker, attempt, eventType) { Group = step.Group };

    /// <param name="group">The group the item names: a graph step's own (members and callbacks), or null.</param>
    public static StepCompleted Completed(StepModel step, int worker, int attempt, string? group) =>
        new(step.Name, worker, attempt) { Group = group };

    /// <param name="target">The one step it was sent to, or null when routed by type.</param>
    public static EventEmitted Emitted(Event ev, string? source, string? target) =>
        new(source, ev.GetType().Name, ev, target);
}
