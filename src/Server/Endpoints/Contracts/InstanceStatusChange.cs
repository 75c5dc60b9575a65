namespace Workflows.Server.Endpoints.Contracts;

/// <summary>One frame of <c>GET /api/instances/events</c>: a run whose status changed.</summary>
/// <param name="InstanceId">The run.</param>
/// <param name="Workflow">Its workflow.</param>
/// <param name="Version">The workflow version it runs.</param>
/// <param name="Status">Its status now.</param>
/// <param name="Previous">Its status before, or null for the first change the server saw (a new run, or one resumed after a restart).</param>
/// <param name="Item">The type of the last item of the run's own stream published with the change (<c>run.started</c>, <c>run.waiting</c>, <c>step.started</c>, <c>run.completed</c>, ...).</param>
/// <param name="Sequence">That item's sequence in the run's stream.</param>
/// <param name="Timestamp">That item's time; equal to the run's <c>updatedAt</c> as lists show it.</param>
public sealed record InstanceStatusChange(
    string InstanceId,
    string Workflow,
    string Version,
    RunStatus Status,
    RunStatus? Previous,
    string Item,
    long Sequence,
    DateTimeOffset Timestamp);
