namespace Workflows;

/// <summary>
/// A workflow failed the checks made when it is registered. <see cref="Errors"/> lists every problem found,
/// each naming the step and event type concerned.
/// </summary>
public sealed class WorkflowValidationException(string workflow, IReadOnlyList<string> errors)
    : Exception($"Workflow '{workflow}' is invalid:{Environment.NewLine}- {string.Join(Environment.NewLine + "- ", errors)}")
{
    /// <summary>The workflow's name.</summary>
    public string Workflow { get; } = workflow;

    /// <summary>Every problem found.</summary>
    public IReadOnlyList<string> Errors { get; } = errors;
}
