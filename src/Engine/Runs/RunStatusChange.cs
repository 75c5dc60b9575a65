namespace Workflows;

/// <summary>A run's status changed (see <see cref="LocalExecutionEngine.RunStatusChanged"/>).</summary>
/// <param name="RunId">The run.</param>
/// <param name="Workflow">Its workflow.</param>
/// <param name="Version">The workflow version it runs.</param>
/// <param name="Status">Its status now.</param>
/// <param name="Previous">Its status before, or null for the first change this process saw (a new run, or one resumed after a restart).</param>
/// <param name="Item">The type of the last item published with the change (<c>run.started</c>, <c>run.waiting</c>, <c>step.started</c>, <c>run.completed</c>, ...).</param>
/// <param name="Sequence">That item's sequence.</param>
/// <param name="Timestamp">That item's time: the run's <c>UpdatedAt</c> once the change is published.</param>
public sealed record RunStatusChange(string RunId, string Workflow, string Version, RunStatus Status, RunStatus? Previous, string Item, long Sequence, DateTimeOffset Timestamp);
