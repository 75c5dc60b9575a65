using System.Text.Json.Serialization;

namespace Workflows.Server.Endpoints.Contracts;

/// <summary>The answer of <c>GET /api/instances/counts</c>: how many runs there are, in all and in each status.</summary>
/// <param name="Total">Every run, whatever its status (the sum of <paramref name="ByStatus"/>).</param>
/// <param name="ByStatus">The runs in each status; every status is present, 0 when no run has it.</param>
public sealed record InstanceCounts(long Total, InstanceStatusCounts ByStatus)
{
    internal static InstanceCounts From(RunCounts counts) => new(counts.Total, new InstanceStatusCounts(
        counts[RunStatus.Pending], counts[RunStatus.Running], counts[RunStatus.Waiting], counts[RunStatus.Completed],
        counts[RunStatus.Failed], counts[RunStatus.Canceled], counts[RunStatus.TimedOut]));
}

/// <summary>Runs per status, keyed by the statuses' wire names (<c>timed_out</c>, as in every status field of the API).</summary>
/// <param name="Pending">Created, not yet started.</param>
/// <param name="Running">Steps running or events queued.</param>
/// <param name="Waiting">Waiting for input from outside (a person, an event).</param>
/// <param name="Completed">Ended by a StopEvent.</param>
/// <param name="Failed">Ended by a failure.</param>
/// <param name="Canceled">Canceled from outside.</param>
/// <param name="TimedOut">Ended by the run's timeout.</param>
public sealed record InstanceStatusCounts(
    [property: JsonPropertyName("pending")] long Pending,
    [property: JsonPropertyName("running")] long Running,
    [property: JsonPropertyName("waiting")] long Waiting,
    [property: JsonPropertyName("completed")] long Completed,
    [property: JsonPropertyName("failed")] long Failed,
    [property: JsonPropertyName("canceled")] long Canceled,
    [property: JsonPropertyName("timed_out")] long TimedOut);
