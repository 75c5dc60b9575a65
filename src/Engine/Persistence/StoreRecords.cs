namespace Workflows.Persistence;

/// <summary>Everything one pass of one run's loop changed, committed atomically.</summary>
/// <param name="RunId">The run.</param>
public sealed record RunCommit(string RunId)
{
    /// <summary>The run row as it is now (inserted on the first commit, replaced after), or null when unchanged.</summary>
    public RunRecord? Run { get; init; }

    /// <summary>New items, in sequence order.</summary>
    public IReadOnlyList<StoredItem> Items { get; init; } = [];

    /// <summary>The resume state as it is now (opaque JSON owned by the engine), or null when unchanged.</summary>
    public string? StateJson { get; init; }

    /// <summary>Tasks created or changed, as they are now (insert or replace by id).</summary>
    public IReadOnlyList<HumanTask> Tasks { get; init; } = [];
}

/// <summary>The run row: what lists and summaries show.</summary>
public sealed record RunRecord
{
    /// <summary>The run's id.</summary>
    public required string Id { get; init; }

    /// <summary>Workflow name.</summary>
    public required string Workflow { get; init; }

    /// <summary>The version the run is pinned to.</summary>
    public required string Version { get; init; }

    /// <summary>Current status.</summary>
    public required RunStatus Status { get; init; }

    /// <summary>The input as JSON.</summary>
    public required string InputJson { get; init; }

    /// <summary>The caller's correlation id, unique when set.</summary>
    public string? CorrelationId { get; init; }

    /// <summary>The result as JSON, once completed.</summary>
    public string? ResultJson { get; init; }

    /// <summary>The error as JSON (<c>{step, type, message}</c>), once failed, canceled or timed out.</summary>
    public string? ErrorJson { get; init; }

    /// <summary>The last item's sequence.</summary>
    public long LastSequence { get; init; }

    /// <summary>When the run was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the row last changed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>When the run ended.</summary>
    public DateTimeOffset? EndedAt { get; init; }
}

/// <summary>One persisted item of a run's stream (the SSE source).</summary>
/// <param name="RunId">The run.</param>
/// <param name="Sequence">From 1, dense.</param>
/// <param name="Type">The wire type (<c>step.started</c>).</param>
/// <param name="Timestamp">When the runtime recorded it.</param>
/// <param name="Json">The item as JSON (camelCase), as clients receive it.</param>
public sealed record StoredItem(string RunId, long Sequence, string Type, DateTimeOffset Timestamp, string Json);

/// <summary>A run as stored: its row, its last resume state and its tasks.</summary>
/// <param name="Run">The run row.</param>
/// <param name="StateJson">The last committed resume state, or null.</param>
/// <param name="Tasks">The run's tasks (all statuses).</param>
public sealed record StoredRun(RunRecord Run, string? StateJson, IReadOnlyList<HumanTask> Tasks);

/// <summary>A workflow definition seen by a process.</summary>
/// <param name="Name">Workflow name.</param>
/// <param name="Version">Version.</param>
/// <param name="Kind">"event" or "graph".</param>
/// <param name="ShapeHash">A hash of its steps and edges: the same name and version with another hash means the definition changed without a new version.</param>
/// <param name="FirstSeenAt">When it was first recorded.</param>
public sealed record DefinitionRecord(string Name, string Version, string Kind, string ShapeHash, DateTimeOffset FirstSeenAt);
