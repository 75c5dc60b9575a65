using System.Runtime;
using System.Text.Json;
using Workflows.Benchmarks.Durable;
using Workflows.Benchmarks.FanOutFanIn;
using Workflows.Benchmarks.FanOutFanInGraph;
using Workflows.Benchmarks.Harness;
using Workflows.Benchmarks.Http;

namespace Workflows.Benchmarks;

/// <summary>
/// The engine's performance targets as a plain console harness (warm-up, then interleaved measured rounds).
/// <c>dotnet run -c Release --project benchmarks/Engine.Benchmarks -- [NAME...] [OPTIONS]</c>; see docs/benchmarks.md.
/// </summary>
internal static class Program
{
    /// <summary>Every benchmark, in the order they run. A new one is one more entry here.</summary>
    private static readonly IBenchmark[] s_benchmarks =
    [
        new FanOutFanInBenchmark(),
        new FanOutFanInGraphBenchmark(),
        new DurableBenchmark(),
    ];

    private static async Task<int> Main(string[] args)
    {
        // Not a benchmark of the list: a client of a running server (scripts/bench-http.sh starts one), see docs/benchmarks.md.
        if (args.Length > 0 && args[0] == "sse")
        {
            return await SseLatencyTool.RunAsync(args[1..]);
        }
        BenchmarkOptions options;
        try
        {
            options = BenchmarkOptions.Parse(args);
        }
        catch (ArgumentException error)
        {
            await Console.Error.WriteLineAsync(error.Message + Environment.NewLine + BenchmarkOptions.Usage);
            return 2;
        }
        if (options.Help || options.List)
        {
            Console.WriteLine(options.Help ? BenchmarkOptions.Usage : string.Join(Environment.NewLine, s_benchmarks.Select(b => $"{b.Name,-12} {b.Description}")));
            return 0;
        }
        var unknown = options.Selected.Where(name => name != "all" && s_benchmarks.All(b => b.Name != name)).ToArray();
        if (unknown.Length > 0)
        {
            await Console.Error.WriteLineAsync($"Unknown benchmark(s): {string.Join(", ", unknown)}. Known: {string.Join(", ", s_benchmarks.Select(b => b.Name))}.");
            return 2;
        }
        var selected = options.Selected.Count == 0 || options.Selected.Contains("all")
            ? s_benchmarks
            : s_benchmarks.Where(b => options.Selected.Contains(b.Name)).ToArray();

#if DEBUG
        Console.WriteLine("WARNING: Debug build; numbers are meaningless. Use -c Release.");
#endif
        if (!options.Child)
        {
            Console.WriteLine($"{DateTime.Now:yyyy-MM-dd HH:mm} | .NET {Environment.Version} | {Environment.ProcessorCount} cores | " +
                $"{(GCSettings.IsServerGC ? "server" : "workstation")} GC, concurrent {(GCSettings.LatencyMode == GCLatencyMode.Batch ? "off" : "on")} | " +
                $"{options.Runs} runs/round, {options.Rounds} rounds, concurrent = {options.Concurrency} in flight, {options.Processes} process(es)");
        }

        IReadOnlyList<BenchmarkReport> reports;
        if (options.Processes > 1 && !options.Child)
        {
            try
            {
                try
            {
                reports = await ProcessRunner.RunAsync(args, options.Processes, Console.Out);
            }
            catch (InvalidOperationException failed)
            {
                await Console.Error.WriteLineAsync(failed.Message);
                return 3;
            }
            }
            catch (InvalidOperationException failed)
            {
                await Console.Error.WriteLineAsync(failed.Message);
                return 3;
            }
        }
        else
        {
            var measured = new List<BenchmarkReport>();
            foreach (var benchmark in selected)
            {
                measured.Add(await benchmark.RunAsync(options, Console.Out));
            }
            reports = measured;
        }
        if (options.Child)
        {
            Console.WriteLine(ProcessRunner.Marker + JsonSerializer.Serialize(reports));
            return 0;
        }
        Console.WriteLine();
        ReportTable.Write(Console.Out, reports);
        if (options.Profile)
        {
            foreach (var benchmark in selected)
            {
                await benchmark.ProfileAsync(options, Console.Out);
            }
        }
        return options.Check && !reports.All(r => r.TargetsMet) ? 1 : 0;
    }
}
