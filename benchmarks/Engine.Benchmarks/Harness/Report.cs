namespace Workflows.Benchmarks.Harness;

/// <summary>One line of the table: the medians of one implementation in one mode.</summary>
internal sealed record ReportRow
{
    public required string Benchmark { get; init; }

    public required string Mode { get; init; }

    public required string Implementation { get; init; }

    public required double RunsPerSecond { get; init; }

    /// <summary>Step invocations per second (engine rows only; null for a baseline).</summary>
    public double? StepsPerSecond { get; init; }

    public required double BytesPerRun { get; init; }

    /// <summary>Thread-pool work items completed per run: every hop from one thread to another counts one.</summary>
    public required double WorkItemsPerRun { get; init; }

    /// <summary>Engine throughput over baseline throughput (engine rows only).</summary>
    public double? Ratio { get; init; }

    /// <summary>Lowest ratio: of the interleaved round pairs (one process) or of the processes' ratios (several).</summary>
    public double? RatioLow { get; init; }

    /// <summary>Highest ratio, as <see cref="RatioLow"/>.</summary>
    public double? RatioHigh { get; init; }

    /// <summary>Target: <see cref="Ratio"/> at least this (engine rows only).</summary>
    public double? MinimumRatio { get; init; }

    /// <summary>Target: <see cref="BytesPerRun"/> below this (engine rows only).</summary>
    public long? MaximumBytesPerRun { get; init; }

    /// <summary>Share of the machine's CPU that other processes used while this mode was measured (null = unknown).</summary>
    public double? ForeignCpu { get; init; }

    public bool RatioMet => Ratio is not { } ratio || MinimumRatio is not { } minimum || ratio >= minimum;

    public bool BytesMet => MaximumBytesPerRun is not { } maximum || BytesPerRun < maximum;

    public bool TargetsMet => RatioMet && BytesMet;

    /// <summary>e.g. "ratio &gt;= 0.33 MISSED, &lt; 10 KB met"; empty for rows without targets.</summary>
    public string Targets
    {
        get
        {
            var parts = new List<string>();
            if (Ratio is not null && MinimumRatio is { } minimum)
            {
                parts.Add($"ratio >= {minimum:0.00} {Verdict(RatioMet)}");
            }
            if (MaximumBytesPerRun is { } maximum)
            {
                parts.Add($"< {maximum / 1024.0:0.#} KB {Verdict(BytesMet)}");
            }
            return string.Join(", ", parts);
        }
    }

    private static string Verdict(bool met) => met ? "met" : "MISSED";
}

/// <summary>What one benchmark measured (in one process, or aggregated over several).</summary>
internal sealed record BenchmarkReport(string Name, string Description, IReadOnlyList<ReportRow> Rows, IReadOnlyList<string> Notes)
{
    /// <summary>How many processes the figures come from.</summary>
    public int Processes { get; init; } = 1;

    public bool TargetsMet => Rows.All(r => r.TargetsMet);
}

/// <summary>Prints reports as one compact, aligned table.</summary>
internal static class ReportTable
{
    public static void Write(TextWriter output, IReadOnlyList<BenchmarkReport> reports)
    {
        string[] header = ["benchmark", "mode", "impl", "runs/s", "steps/s", "alloc B/run", "TP items/run", "ratio", "spread", "targets"];
        var lines = new List<string[]> { header };
        foreach (var row in reports.SelectMany(r => r.Rows))
        {
            lines.Add([
                row.Benchmark,
                row.Mode,
                row.Implementation,
                row.RunsPerSecond.ToString("N0"),
                row.StepsPerSecond?.ToString("N0") ?? "-",
                row.BytesPerRun.ToString("N0"),
                row.WorkItemsPerRun.ToString("0.0"),
                row.Ratio?.ToString("0.00") ?? "-",
                row.RatioLow is { } low && row.RatioHigh is { } high ? $"{low:0.00}-{high:0.00}" : "-",
                row.Targets,
            ]);
        }
        var widths = Enumerable.Range(0, header.Length).Select(c => lines.Max(l => l[c].Length)).ToArray();
        var numeric = new[] { false, false, false, true, true, true, true, true, true, false };
        for (var l = 0; l < lines.Count; l++)
        {
            var cells = lines[l].Select((cell, c) => numeric[c] ? cell.PadLeft(widths[c]) : cell.PadRight(widths[c]));
            output.WriteLine(string.Join("  ", cells).TrimEnd());
            if (l == 0)
            {
                output.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));
            }
        }
        foreach (var report in reports)
        {
            foreach (var note in report.Notes)
            {
                output.WriteLine($"  {report.Name}: {note}");
            }
            output.WriteLine(report.Processes > 1
                ? $"  {report.Name}: figures are medians over {report.Processes} processes; spread = lowest-highest of the processes' ratios."
                : $"  {report.Name}: spread = lowest-highest ratio of the interleaved round pairs.");
            foreach (var (mode, foreign) in report.Rows.GroupBy(r => r.Mode).Select(g => (g.Key, g.Max(r => r.ForeignCpu))))
            {
                if (foreign is { } share)
                {
                    output.WriteLine($"  {report.Name}: {mode}: other processes (and hypervisor steal) took up to {share:P0} of the machine's CPU while it was measured" +
                        (share > 0.15 ? " (noisy: rerun on a quiet machine)." : "."));
                }
            }
        }
    }
}
