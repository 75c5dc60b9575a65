using System.Text.Json.Nodes;

namespace Workflows.Server.Endpoints.Contracts;

/// <summary>One step of a workflow.</summary>
/// <param name="Name">The step's name (snake_case).</param>
/// <param name="Type"><c>step</c>, <c>human</c> (waits for a person), or in a graph group <c>member</c> / <c>callback</c>.</param>
/// <param name="Group">The group, for members and callbacks; else null.</param>
/// <param name="NumWorkers">Worker slots: how many invocations may run at once.</param>
/// <param name="Accepts">Event types that trigger it (event-driven workflows).</param>
/// <param name="Emits">Event types it produces (event-driven workflows).</param>
/// <param name="FormSchema">A human step's form (JSON Schema), else null.</param>
/// <param name="TimeoutSeconds">Bound on one attempt, or null.</param>
/// <param name="Retry">The retry policy, or null for a single attempt.</param>
public sealed record WorkflowStep(
    string Name,
    string Type,
    string? Group,
    int NumWorkers,
    IReadOnlyList<string> Accepts,
    IReadOnlyList<string> Emits,
    JsonObject? FormSchema,
    double? TimeoutSeconds,
    WorkflowRetry? Retry)
{
    internal static WorkflowStep From(StepDescription step) => new(
        step.Name,
        step.Type,
        step.Group,
        step.NumWorkers,
        step.Accepts,
        step.Emits,
        step.FormSchema,
        step.TimeoutSeconds,
        step.Retry is { } retry
            ? new WorkflowRetry(retry.MaximumAttempts, retry.InitialIntervalMs, retry.Backoff, retry.BackoffCoefficient, retry.RetryOn)
            : null);
}

/// <summary>A step's retry policy.</summary>
/// <param name="MaximumAttempts">Attempts, the first included.</param>
/// <param name="InitialIntervalMs">The delay before the second attempt.</param>
/// <param name="Backoff"><c>fixed</c> or <c>exponential</c>.</param>
/// <param name="BackoffCoefficient">The multiplier of exponential backoff.</param>
/// <param name="RetryOn">Exception types retried (empty: all).</param>
public sealed record WorkflowRetry(int MaximumAttempts, double InitialIntervalMs, string Backoff, double BackoffCoefficient, IReadOnlyList<string> RetryOn);
