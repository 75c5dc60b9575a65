namespace Workflows.Persistence.EntityFramework.Entities;

/// <summary>A row of <c>run_states</c>: a run's last committed resume state, replaced at each commit that carries one.</summary>
public sealed class RunStateEntity
{
    /// <summary>The run (primary key).</summary>
    public string RunId { get; set; } = "";

    /// <summary>The resume state: opaque JSON owned by the engine.</summary>
    public string StateJson { get; set; } = "";
}
