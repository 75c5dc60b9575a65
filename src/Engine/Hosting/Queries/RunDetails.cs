using System.Text.Json.Nodes;

namespace Workflows;

/// <summary>Everything about one run: what <c>GET /api/instances/{id}</c> shows.</summary>
public sealed record RunDetails
{
    /// <summary>Id, workflow, version, status, timestamps.</summary>
    public required RunSummary Summary { get; init; }

    /// <summary>The input it started with.</summary>
    public required JsonObject Input { get; init; }

    /// <summary>The run's state: the store of an event-driven run, the context of a graph run.</summary>
    public required JsonObject State { get; init; }

    /// <summary>The result, once completed.</summary>
    public JsonNode? Result { get; init; }

    /// <summary>Why it did not complete, once it failed, was canceled or timed out.</summary>
    public RunError? Error { get; init; }

    /// <summary>Every attempt of every step, in start order.</summary>
    public required IReadOnlyList<StepExecution> Steps { get; init; }

    /// <summary>Its pending human tasks.</summary>
    public required IReadOnlyList<HumanTask> OpenTasks { get; init; }

    /// <summary>The sequence of its last item.</summary>
    public long LastSequence { get; init; }
}
