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
    /// go first (default 1,000). An in-memory engine lists and counts only these; a durable engine still finds and
    /// counts every run in its store.
    /// </summary>
    /// <remarks>
    /// Not higher by default because a retained run outlives many garbage collections: every run kept beyond what one
    /// collection sees is copied up to the oldest generation and dies there, which costs more CPU than running it did
    /// (at 10,000 the in-memory fan-out benchmark runs about 4x slower; docs/benchmarks.md).
    /// </remarks>
    public int RetainedRuns { get; set; } = 1_000;

    /// <summary>Turns on verbose step logging for every workflow, whatever the workflow says.</summary>
    public bool Verbose { get; set; }
}
