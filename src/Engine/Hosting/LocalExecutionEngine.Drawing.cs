using System.Text.Json;
using Workflows.Drawing;
using Workflows.Serialization;

namespace Workflows;

/// <summary>A run's drawing, for runs in memory and runs only the store still holds.</summary>
public sealed partial class LocalExecutionEngine
{
    /// <summary>
    /// The run's workflow drawn with each step's state so far (as <see cref="FlowGraphExtensions.Draw"/> does for a
    /// handle), also for a run only the store holds (ended before this process started, or no longer retained).
    /// Null when there is no such run, or its workflow version is no longer registered.
    /// </summary>
    public async Task<FlowGraph?> DrawRunAsync(string runId, CancellationToken cancellationToken = default)
    {
        if (FindRun(runId) is { } run)
        {
            return run.Draw();
        }
        if (_store is null || await _store.GetRunAsync(runId, cancellationToken).ConfigureAwait(false) is not { } stored
            || _registry.FindModel(stored.Run.Workflow, stored.Run.Version) is not { } model)
        {
            return null;
        }
        var items = new List<RunItem>();
        await foreach (var item in _store.ReadItemsAsync(runId, 0, cancellationToken).ConfigureAwait(false))
        {
            // Only the items that colour a drawing; the others may carry events that need their workflow's types.
            if (s_colouringTypes.TryGetValue(item.Type, out var type))
            {
                items.Add((RunItem)JsonSerializer.Deserialize(item.Json, type, WorkflowJson.Options)!);
            }
        }
        return RunStateColouring.Apply(FlowGraphBuilder.Build(model), items);
    }

    private static readonly Dictionary<string, Type> s_colouringTypes = new(StringComparer.Ordinal)
    {
        [RunItemTypes.StepStarted] = typeof(StepStarted),
        [RunItemTypes.StepCompleted] = typeof(StepCompleted),
        [RunItemTypes.StepRetrying] = typeof(StepRetrying),
        [RunItemTypes.StepFailed] = typeof(StepFailed),
        [RunItemTypes.StepSkipped] = typeof(StepSkipped),
        [RunItemTypes.StepCanceled] = typeof(StepCanceled),
        [RunItemTypes.TaskCreated] = typeof(TaskCreated),
        [RunItemTypes.TaskCompleted] = typeof(TaskCompleted),
        [RunItemTypes.TaskCanceled] = typeof(TaskCanceled),
        [RunItemTypes.RunCompleted] = typeof(RunCompleted),
        [RunItemTypes.RunFailed] = typeof(RunFailed),
        [RunItemTypes.RunCanceled] = typeof(RunCanceled),
        [RunItemTypes.RunTimedOut] = typeof(RunTimedOut),
    };
}
