namespace Workflows;

/// <summary>Settings of the engine, bound from configuration by the server (section <c>Workflows:Engine</c>).</summary>
public sealed class EngineOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Workflows:Engine";

    /// <summary>Run timeout for workflows that set none; null (the default) means none.</summary>
    public TimeSpan? DefaultRunTimeout { get; set; }

    /// <summary>
    /// How many runs the engine keeps in memory for lookups, running ones always included; the oldest ended runs
    /// go first (default 10,000). An in-memory engine lists and counts only these; a durable engine still finds and
    /// counts every run in its store.
    /// </summary>
    public int RetainedRuns { get; set; } = 10_000;

    /// <summary>Turns on verbose step logging for every workflow, whatever the workflow says.</summary>
    public bool Verbose { get; set; }
}
