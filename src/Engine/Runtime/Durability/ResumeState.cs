using System.Text.Json.Nodes;

namespace Workflows.Runtime.Durability;

/// <summary>
/// What a run needs to resume after a restart, as one JSON document per run, replaced at each commit: the scheduler
/// (queued and in-flight work), collect buffers, the state store, graph counters, the timeout budget. Items and
/// tasks are stored apart (items append-only); this document stays small: it holds pending work, not history.
/// </summary>
internal sealed record ResumeState
{
    public required long Sequence { get; init; }

    public required RunStatus Status { get; init; }

    public required JsonObject Store { get; init; }

    public JsonObject? Outputs { get; init; }

    /// <summary>Work waiting for a worker slot, per pool in FIFO order.</summary>
    public required List<PendingWork> Queued { get; init; }

    /// <summary>Work holding a slot: running (re-run on resume) or waiting out a retry backoff.</summary>
    public required List<PendingWork> InFlight { get; init; }

    public required List<CollectBufferState> CollectBuffers { get; init; }

    public GraphRunState? Graph { get; init; }

    /// <summary>What is left of the run timeout, in milliseconds; null = no timeout.</summary>
    public double? TimeoutRemainingMs { get; init; }
}

/// <summary>One step's work on one event.</summary>
internal sealed record PendingWork(string Step, EventEnvelope Event, int Worker, int Attempt, long Order)
{
    /// <summary>For work waiting out a retry backoff: when the next attempt is due.</summary>
    public DateTimeOffset? RetryAt { get; init; }

    /// <summary>For running work: how many events the attempt had sent (and so are committed with this state).</summary>
    public int Sent { get; init; }

    /// <summary>For running work: how many stream items the attempt had written.</summary>
    public int Written { get; init; }
}

/// <summary>A collect buffer: events held (with their start order) and the sets already taken, per taking invocation.</summary>
internal sealed record CollectBufferState(string Step, string? BufferId, List<BufferedEvent> Events, List<TakenSet> Taken);

internal sealed record BufferedEvent(long Order, EventEnvelope Event);

internal sealed record TakenSet(long Order, List<EventEnvelope> Events);

/// <summary>The graph's per-run counters (see GraphRun).</summary>
internal sealed record GraphRunState(int[] Resolved, int[] Taken, int[] Remaining, bool[] Won, List<RunError>?[] RaceErrors, List<string> StoppedShort, bool ReachedTerminal);
