using System.Text.Json.Nodes;

namespace Workflows;

/// <summary>What happens when a human task passes its deadline.</summary>
public abstract record DueAction
{
    /// <summary>Completes the task with <paramref name="data"/> (recorded as completed by <c>deadline</c>); the data must satisfy the form.</summary>
    public static DueAction DefaultOutcome(JsonObject data) => new DefaultOutcomeAction(data);

    /// <summary>Hands the task to <paramref name="group"/> (clearing its assignee); it stays open.</summary>
    public static DueAction Escalate(string group) => new EscalateAction(group);
}

/// <summary>Complete with a default answer.</summary>
/// <param name="Data">The answer.</param>
public sealed record DefaultOutcomeAction(JsonObject Data) : DueAction;

/// <summary>Reassign to a group.</summary>
/// <param name="Group">The group that takes over.</param>
public sealed record EscalateAction(string Group) : DueAction;
