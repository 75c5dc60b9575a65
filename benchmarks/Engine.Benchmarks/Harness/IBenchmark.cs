namespace Workflows.Benchmarks.Harness;

/// <summary>
/// One performance target. <see cref="Program"/> keeps the list of them; a new benchmark is one more class
/// implementing this interface (usually by deriving from <see cref="ComparisonBenchmark"/>) added to that list.
/// </summary>
internal interface IBenchmark
{
    /// <summary>The command-line name (<c>fanout</c>).</summary>
    string Name { get; }

    /// <summary>One line saying what is measured.</summary>
    string Description { get; }

    /// <summary>Measures and returns one row per (mode, implementation).</summary>
    Task<BenchmarkReport> RunAsync(BenchmarkOptions options, TextWriter log);

    /// <summary>Explains where the engine's time and allocations go, for <c>--profile</c>.</summary>
    Task ProfileAsync(BenchmarkOptions options, TextWriter output);
}
