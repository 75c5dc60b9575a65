namespace Workflows.Persistence.EntityFramework.Entities;

/// <summary>A row of <c>runs</c>: the small, replaceable summary of a run (<see cref="RunRecord"/>).</summary>
public sealed class RunEntity
{
    /// <summary>The run's id (primary key).</summary>
    public string Id { get; set; } = "";

    /// <summary>Workflow name.</summary>
    public string Workflow { get; set; } = "";

    /// <summary>The version the run is pinned to.</summary>
    public string Version { get; set; } = "";

    /// <summary>Current status, stored by its wire name (<c>timed_out</c>).</summary>
    public RunStatus Status { get; set; }

    /// <summary>The input as JSON.</summary>
    public string InputJson { get; set; } = "";

    /// <summary>The caller's correlation id; unique among the rows that have one.</summary>
    public string? CorrelationId { get; set; }

    /// <summary>The result as JSON, once completed.</summary>
    public string? ResultJson { get; set; }

    /// <summary>The error as JSON, once failed, canceled or timed out.</summary>
    public string? ErrorJson { get; set; }

    /// <summary>The last item's sequence.</summary>
    public long LastSequence { get; set; }

    /// <summary>When the run was created.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the row last changed.</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>When the run ended.</summary>
    public DateTimeOffset? EndedAt { get; set; }
}
