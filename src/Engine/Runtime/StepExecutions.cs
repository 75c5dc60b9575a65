using System.Text.Json;
using System.Text.Json.Nodes;
using Workflows.Serialization;

namespace Workflows.Runtime;

/// <summary>
/// Step executions read off a run's items: each <c>step.started</c> opens an attempt, the next end item of the same
/// step and worker closes it. Items are the one record of what ran, so executions need no table of their own.
/// </summary>
internal static class StepExecutions
{
    public static IReadOnlyList<StepExecution> From(IEnumerable<RunFrame> frames)
    {
        var executions = new List<StepExecution>();
        var open = new Dictionary<(string Step, int Worker), int>();
        foreach (var frame in frames)
        {
            if (!frame.Type.StartsWith("step.", StringComparison.Ordinal))
            {
                continue;
            }
            var data = JsonNode.Parse(frame.Json)!;
            var step = data["step"]!.GetValue<string>();
            var worker = data["worker"]?.GetValue<int>() ?? 0;
            var at = data["timestamp"]!.GetValue<DateTimeOffset>();
            if (frame.Type == RunItemTypes.StepStarted)
            {
                open[(step, worker)] = executions.Count;
                executions.Add(new StepExecution(step, data["group"]?.GetValue<string>(), "running", data["attempt"]!.GetValue<int>(), worker, at, null, null));
                continue;
            }
            if (!open.Remove((step, worker), out var index))
            {
                continue; // e.g. an attempt canceled while waiting out a backoff: it never started
            }
            var status = frame.Type switch
            {
                RunItemTypes.StepCompleted => "completed",
                RunItemTypes.StepFailed => "failed",
                RunItemTypes.StepRetrying => "retrying",
                RunItemTypes.StepSkipped => "skipped",
                _ => "canceled",
            };
            executions[index] = executions[index] with
            {
                Status = status,
                EndedAt = at,
                Error = data["error"]?.Deserialize<RunError>(WorkflowJson.Options),
            };
        }
        return executions;
    }
}
