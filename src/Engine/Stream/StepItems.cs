using Workflows.Model;

namespace Workflows;

/// <summary>
/// The records of the three items every step makes, built in one place: at once on the durable path (to be persisted),
/// on first read from the item log's compact entries in memory. One factory, so the two cannot drift apart.
/// </summary>
internal static class StepItems
{
    /// <summary>A start; the item names the step's group, if it has one.</summary>
    public static StepStarted Started(StepModel step, int worker, int attempt, string? eventType) =>
        new(step.Name, worker, attempt, eventType) { Group = step.Group };

    /// <summary>A completion; <paramref name="group"/> is the group the item names (graph members and callbacks), or null.</summary>
    public static StepCompleted Completed(StepModel step, int worker, int attempt, string? group) =>
        new(step.Name, worker, attempt) { Group = group };

    /// <summary>An emitted event; <paramref name="target"/> is the one step it was sent to, or null when routed by type.</summary>
    public static EventEmitted Emitted(Event ev, string? source, string? target) =>
        new(source, ev.GetType().Name, ev, target);
}
