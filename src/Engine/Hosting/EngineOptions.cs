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
    /// go first (default 100). An in-memory engine lists and counts only these; a durable engine still finds and
    /// counts every run in its store.
    /// </summary>
    /// <remarks>
    /// Small by default because a retained run outlives garbage collections: every ended run still held when the GC runs
    /// is copied to an older generation and dies there, which costs more than running a short workflow did. Measured with
    /// the fan-out benchmark in steady state (docs/benchmarks.md, "Retained runs and the GC"): about a quarter slower at
    /// 1,000 than at 100, several times slower at 10,000.
    /// </remarks>
    public int RetainedRuns { get; set; } = 100;

    /// <summary>Turns on verbose step logging for every workflow, whatever the workflow says.</summary>
    public bool Verbose { get; set; }
}
