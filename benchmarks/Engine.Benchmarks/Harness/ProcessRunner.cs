using System.Diagnostics;
using System.Text.Json;

namespace Workflows.Benchmarks.Harness;

/// <summary>
/// Runs the selected benchmarks in several fresh processes, one after the other, and aggregates their reports.
/// On a 2-core machine one process's figures depend on how its thread pool and tiered-PGO compilation happened
/// to settle (runs of the same binary differ by up to 2x while rounds within a process agree), so one process
/// is one sample: the table shows medians over processes.
/// </summary>
internal static class ProcessRunner
{
    /// <summary>Prefix of the line on which a child process hands its reports (JSON) to the parent.</summary>
    public const string Marker = "##REPORTS ";

    public static async Task<IReadOnlyList<BenchmarkReport>> RunAsync(string[] args, int processes, TextWriter log)
    {
        var samples = new List<IReadOnlyList<BenchmarkReport>>();
        for (var p = 1; p <= processes; p++)
        {
            var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
            if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
            {
                start.ArgumentList.Add(typeof(ProcessRunner).Assembly.Location);
            }
            foreach (var arg in ChildArguments(args))
            {
                start.ArgumentList.Add(arg);
            }
            using var child = Process.Start(start) ?? throw new InvalidOperationException("Could not start a benchmark process.");
            IReadOnlyList<BenchmarkReport>? reports = null;
            while (await child.StandardOutput.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                if (line.StartsWith(Marker, StringComparison.Ordinal))
                {
                    reports = JsonSerializer.Deserialize<List<BenchmarkReport>>(line[Marker.Length..]);
                }
                else if (line.StartsWith('['))
                {
                    log.WriteLine($"[process {p}/{processes}] {line}");
                }
            }
            await child.WaitForExitAsync().ConfigureAwait(false);
            if (child.ExitCode != 0 || reports is null)
            {
                throw new InvalidOperationException($"Benchmark process {p} failed (exit code {child.ExitCode}).");
            }
            samples.Add(reports);
        }
        return samples[0].Select(first => Aggregate(samples.Select(s => s.Single(r => r.Name == first.Name)).ToArray())).ToArray();
    }

    /// <summary>The same command line for a child: one process, no profiling, reports on stdout.</summary>
    private static IEnumerable<string> ChildArguments(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--processes":
                    i++;
                    break;
                case "--profile" or "--check":
                    break;
                default:
                    yield return args[i];
                    break;
            }
        }
        yield return "--processes";
        yield return "1";
        yield return "--child";
    }

    private static BenchmarkReport Aggregate(IReadOnlyList<BenchmarkReport> reports)
    {
        var rows = reports[0].Rows.Select(template =>
        {
            var same = reports.Select(r => r.Rows.Single(x => x.Mode == template.Mode && x.Implementation == template.Implementation)).ToArray();
            var ratios = same.Where(r => r.Ratio is not null).Select(r => r.Ratio!.Value).ToArray();
            return template with
            {
                RunsPerSecond = RoundRunner.Median(same.Select(r => r.RunsPerSecond)),
                StepsPerSecond = template.StepsPerSecond is null ? null : RoundRunner.Median(same.Select(r => r.StepsPerSecond!.Value)),
                BytesPerRun = RoundRunner.Median(same.Select(r => r.BytesPerRun)),
                WorkItemsPerRun = RoundRunner.Median(same.Select(r => r.WorkItemsPerRun)),
                Ratio = ratios.Length == 0 ? null : RoundRunner.Median(ratios),
                RatioLow = ratios.Length == 0 ? null : ratios.Min(),
                RatioHigh = ratios.Length == 0 ? null : ratios.Max(),
                ForeignCpu = same.Max(r => r.ForeignCpu),
            };
        }).ToArray();
        return reports[0] with { Rows = rows, Processes = reports.Count };
    }
}
