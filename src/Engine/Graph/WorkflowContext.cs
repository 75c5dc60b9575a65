using System.Text.Json;
using System.Text.Json.Nodes;
using Workflows.Graph;
using Workflows.Serialization;

namespace Workflows;

/// <summary>
/// What a graph step sees of its run: the context (JSON values under dotted paths such as
/// <c>legal_approval.approved</c>, starting as the run's input) and the outputs of the steps that completed.
/// Each write is atomic and recorded with the step that made it.
/// </summary>
public sealed class WorkflowContext
{
    private readonly StateStore _state;
    private readonly StepOutputs _outputs;

    internal WorkflowContext(string runId, string? step, StateStore state, StepOutputs outputs)
    {
        RunId = runId;
        StepName = step;
        _state = state;
        _outputs = outputs;
    }

    /// <summary>The run.</summary>
    public string RunId { get; }

    /// <summary>The step this view belongs to (null outside a step).</summary>
    public string? StepName { get; }

    /// <summary>The value at <paramref name="path"/>, or <paramref name="defaultValue"/> when absent or null.</summary>
    public T? Get<T>(string path, T? defaultValue = default) => _state.Get(path, defaultValue);

    /// <summary>True when <paramref name="path"/> holds a non-null value.</summary>
    public bool Has(string path) => _state.Get<JsonNode>(path) is not null;

    /// <summary>Sets <paramref name="path"/> atomically; the history records this step as the writer.</summary>
    public void Set<T>(string path, T value) => _state.Set(path, value, StepName);

    /// <summary>Several reads and writes as one atomic, all-or-nothing block.</summary>
    public Task EditAsync(Func<StateEditor, Task> edit, CancellationToken cancellationToken = default) =>
        _state.EditStateAsWriterAsync(edit, StepName, cancellationToken);

    /// <summary>The output of a completed step (a group member, a race winner, any earlier step), or default.</summary>
    public T? GetOutput<T>(string step, T? defaultValue = default) =>
        _outputs.TryGet(step, out var node) && node is not null ? node.Deserialize<T>(WorkflowJson.Options) : defaultValue;

    /// <summary>The outputs of every completed step so far.</summary>
    public IReadOnlyDictionary<string, JsonNode?> Outputs => _outputs.Snapshot();

    /// <summary>Every write so far, with its writer.</summary>
    public IReadOnlyList<StateWrite> History => _state.History;

    /// <summary>A copy of the whole context.</summary>
    public JsonObject Snapshot() => _state.Snapshot();
}
