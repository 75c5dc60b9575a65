using System.Text.Json.Nodes;

namespace Workflows;

/// <summary>
/// Returned (or sent) by an event-driven step to ask a person for input: the runtime publishes it, creates a
/// human task with this form, and the run waits. Completing the task produces a <see cref="HumanResponseEvent"/>,
/// routed like any event to the steps that accept it.
/// </summary>
/// <param name="Title">What the person is asked, shown in the inbox.</param>
/// <param name="FormSchema">A JSON Schema (object) the answer must satisfy.</param>
public record InputRequiredEvent(string Title, JsonObject FormSchema) : Event
{
    /// <summary>Longer explanation for the form.</summary>
    public string? Description { get; init; }

    /// <summary>The only user who may answer, or null.</summary>
    public string? Assignee { get; init; }

    /// <summary>The group whose members may answer, or null.</summary>
    public string? Group { get; init; }

    /// <summary>How long the person has; null = no deadline.</summary>
    public TimeSpan? Due { get; init; }

    /// <summary>What happens at the deadline; null = the task only shows as overdue.</summary>
    public DueAction? OnDue { get; init; }
}
