namespace Workflows;

/// <summary>The outcome of completing a task: the task as stored and the run's status once the loop applied it.</summary>
/// <param name="Task">The completed task.</param>
/// <param name="RunStatus">The run's status after the branch resumed (running, waiting, or an ending).</param>
public sealed record TaskCompletionResult(HumanTask Task, RunStatus RunStatus);
