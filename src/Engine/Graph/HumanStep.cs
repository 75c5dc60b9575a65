using System.Text.Json.Nodes;

namespace Workflows;

/// <summary>
/// A graph step done by a person: reaching it pauses its branch (other branches keep running) and creates a task
/// with <see cref="FormSchema"/>. The validated answer is stored in the context under the step's name
/// (<c>legal_approval.approved</c>) and the branch resumes.
/// </summary>
public sealed class HumanStep : GraphStep
{
    /// <summary>Creates a human step.</summary>
    public HumanStep(string name, string title, JsonObject formSchema) : base(name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        ArgumentNullException.ThrowIfNull(formSchema);
        Title = title;
        FormSchema = formSchema;
    }

    /// <summary>What is asked, shown in the inbox.</summary>
    public string Title { get; }

    /// <summary>The JSON Schema the answer must satisfy.</summary>
    public JsonObject FormSchema { get; }

    /// <summary>The only user who may answer, or null.</summary>
    public string? Assignee { get; init; }

    /// <summary>A context path holding the assignee's name (e.g. <c>manager</c>), read when the task is created.</summary>
    public string? AssigneeFrom { get; init; }

    /// <summary>The group whose members may answer, or null.</summary>
    public string? Group { get; init; }

    /// <summary>How long the person has, from the task's creation; null = no deadline.</summary>
    public TimeSpan? Due { get; init; }

    /// <summary>What happens at the deadline; null = the task only shows as overdue.</summary>
    public DueAction? OnDue { get; init; }
}
