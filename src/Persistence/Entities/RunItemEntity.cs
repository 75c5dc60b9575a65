namespace Workflows.Persistence.EntityFramework.Entities;

/// <summary>A row of <c>run_items</c>: one item of a run's stream (<see cref="StoredItem"/>), inserted once, never updated.</summary>
public sealed class RunItemEntity
{
    /// <summary>The run (with <see cref="Sequence"/>, the primary key).</summary>
    public string RunId { get; set; } = "";

    /// <summary>From 1, dense within the run.</summary>
    public long Sequence { get; set; }

    /// <summary>The wire type (<c>step.started</c>).</summary>
    public string Type { get; set; } = "";

    /// <summary>When the runtime recorded it.</summary>
    public DateTimeOffset RecordedAt { get; set; }

    /// <summary>The item as JSON, byte for byte as the engine gave it.</summary>
    public string Json { get; set; } = "";
}
