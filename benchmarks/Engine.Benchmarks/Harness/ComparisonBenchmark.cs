using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace Workflows.Benchmarks.Harness;

/// <summary>
/// A benchmark that runs one workflow shape on the engine and the same shape written with plain tasks (the
/// baseline), in the same process and with the same concurrency. Rounds of the two are interleaved (ABBA), so
/// machine noise, GC state and thread-pool warmth hit both alike; the table shows medians and the ratio.
/// </summary>
/// <remarks>
/// A derived class supplies the two run functions and the step-invocation count; the graph form of a shape
/// derives from this class too and reuses the same baseline.
/// </remarks>
internal abstract class ComparisonBenchmark : IBenchmark
{
    public abstract string Name { get; }

    public abstract string Description { get; }

    /// <summary>The baseline's name in the table.</summary>
    protected virtual string BaselineName => "Task.WhenAll";

    /// <summary>The engine's name in the table.</summary>
    protected virtual string EngineName => "engine";

    /// <summary>Target: engine throughput at least this fraction of the baseline's.</summary>
    protected virtual double MinimumRatio => 0.33;

    /// <summary>Target: at most this many bytes allocated per engine run (exclusive).</summary>
    protected virtual long MaximumBytesPerRun => 10 * 1024;

    /// <summary>Extra lines printed under the table (settings that matter for reading the numbers).</summary>
    protected virtual IEnumerable<string> Notes => [];

    /// <summary>Registers workflows, builds engines; called once before anything is measured.</summary>
    protected abstract void Setup();

    /// <summary>The engine settings this measurement asks for (<c>--retained</c>); the engine's defaults otherwise.</summary>
    protected IOptions<EngineOptions> EngineSettings { get; private set; } = Options.Create(new EngineOptions());

    /// <summary>One complete engine run; throws when the run does not complete with the expected result.</summary>
    protected abstract Task RunEngineOnceAsync();

    /// <summary>One complete baseline run; throws when the result is not the expected one.</summary>
    protected abstract Task RunBaselineOnceAsync();

    /// <summary>Runs the engine once and counts the step invocations it really made (from the run's item stream).</summary>
    protected abstract Task<int> CountStepInvocationsAsync();

    /// <summary>For <c>--profile</c>: by default there is none.</summary>
    public virtual Task ProfileAsync(BenchmarkOptions options, TextWriter output)
    {
        output.WriteLine($"{Name}: no profile.");
        return Task.CompletedTask;
    }

    /// <summary>Takes the engine settings from the command line; before <see cref="Setup"/>.</summary>
    protected void Configure(BenchmarkOptions options)
    {
        var settings = new EngineOptions();
        settings.RetainedRuns = options.RetainedRuns ?? settings.RetainedRuns;
        EngineSettings = Options.Create(settings);
    }

    public async Task<BenchmarkReport> RunAsync(BenchmarkOptions options, TextWriter log)
    {
        Configure(options);
        Setup();
        Func<Task> engine = RunEngineOnceAsync;
        Func<Task> baseline = RunBaselineOnceAsync;
        await engine().ConfigureAwait(false);
        await baseline().ConfigureAwait(false);
        // --only: the other side's rounds do nothing (and its rows are dropped).
        var skip = () => Task.CompletedTask;
        if (options.Only == "engine")
        {
            baseline = skip;
        }
        else if (options.Only == "baseline")
        {
            engine = skip;
        }
        var invocations = await CountStepInvocationsAsync().ConfigureAwait(false);
        log.WriteLine($"[{Name}] checked: both implementations produce the expected result; the engine makes {invocations} step invocations per run.");

        var rows = new List<ReportRow>();
        foreach (var mode in options.Modes)
        {
            var engineLabel = $"{Name} / {EngineName} / {mode.Name}";
            var baselineLabel = $"{Name} / {BaselineName} / {mode.Name}";
            var warm = Stopwatch.StartNew();
            var warmRounds = 0;
            while (warmRounds < options.WarmupRounds || warm.Elapsed < options.MinimumWarmup)
            {
                await RoundRunner.MeasureAsync(baseline, options.Runs, mode.InFlight, baselineLabel).ConfigureAwait(false);
                await RoundRunner.MeasureAsync(engine, options.Runs, mode.InFlight, engineLabel).ConfigureAwait(false);
                warmRounds++;
            }
            log.WriteLine($"[{Name}] {mode.Name}: warmed up with {warmRounds} rounds each ({warm.Elapsed.TotalSeconds:0.0} s); measuring {options.Rounds} rounds each of {options.Runs} runs, {mode.InFlight} in flight.");

            var load = MachineLoad.Sample();
            var baselineRounds = new List<RoundResult>();
            var engineRounds = new List<RoundResult>();
            for (var round = 0; round < options.Rounds; round++)
            {
                // ABBA order: neither side always goes first.
                if (round % 2 == 0)
                {
                    baselineRounds.Add(await RoundRunner.MeasureAsync(baseline, options.Runs, mode.InFlight, baselineLabel).ConfigureAwait(false));
                    engineRounds.Add(await RoundRunner.MeasureAsync(engine, options.Runs, mode.InFlight, engineLabel).ConfigureAwait(false));
                }
                else
                {
                    engineRounds.Add(await RoundRunner.MeasureAsync(engine, options.Runs, mode.InFlight, engineLabel).ConfigureAwait(false));
                    baselineRounds.Add(await RoundRunner.MeasureAsync(baseline, options.Runs, mode.InFlight, baselineLabel).ConfigureAwait(false));
                }
                var b = baselineRounds[^1];
                var e = engineRounds[^1];
                log.WriteLine($"[{Name}] {mode.Name} round {round + 1}: " +
                    (options.Only == "engine" ? "" : $"{BaselineName} {b.RunsPerSecond:N0} runs/s ({b.BytesPerRun:N0} B/run, {b.PoolThreads} pool threads)") +
                    (options.Only is null ? "; " : "") +
                    (options.Only == "baseline" ? "" : $"{EngineName} {e.RunsPerSecond:N0} runs/s ({e.BytesPerRun:N0} B/run, {e.Gen0Collections} gen0 GCs ({e.Gen1Collections} gen1+), {e.GcPause.TotalMilliseconds:0.0} ms GC pause, {e.PoolThreads} pool threads)"));
            }

            var foreign = MachineLoad.Sample().ForeignShareSince(load);
            var baselineRate = RoundRunner.Median(baselineRounds.Select(r => r.RunsPerSecond));
            var engineRate = RoundRunner.Median(engineRounds.Select(r => r.RunsPerSecond));
            var pairRatios = engineRounds.Zip(baselineRounds, (e, b) => e.RunsPerSecond / b.RunsPerSecond).ToArray();
            var modeName = $"{mode.Name} ({mode.InFlight})";
            if (options.Only != "engine")
            {
                rows.Add(new ReportRow
                {
                    Benchmark = Name,
                    Mode = modeName,
                    Implementation = BaselineName,
                    RunsPerSecond = baselineRate,
                    BytesPerRun = RoundRunner.Median(baselineRounds.Select(r => r.BytesPerRun)),
                    WorkItemsPerRun = RoundRunner.Median(baselineRounds.Select(r => r.WorkItemsPerRun)),
                    ForeignCpu = foreign,
                });
            }
            if (options.Only != "baseline")
            {
                var both = options.Only is null;
                rows.Add(new ReportRow
                {
                    Benchmark = Name,
                    Mode = modeName,
                    Implementation = EngineName,
                    RunsPerSecond = engineRate,
                    StepsPerSecond = engineRate * invocations,
                    BytesPerRun = RoundRunner.Median(engineRounds.Select(r => r.BytesPerRun)),
                    WorkItemsPerRun = RoundRunner.Median(engineRounds.Select(r => r.WorkItemsPerRun)),
                    Ratio = both ? engineRate / baselineRate : null,
                    RatioLow = both ? pairRatios.Min() : null,
                    RatioHigh = both ? pairRatios.Max() : null,
                    MinimumRatio = MinimumRatio,
                    MaximumBytesPerRun = MaximumBytesPerRun,
                    ForeignCpu = foreign,
                });
            }
        }
        var notes = Notes.Append($"the engine retains the last {EngineSettings.Value.RetainedRuns:N0} ended runs for lookups (EngineOptions.RetainedRuns{(options.RetainedRuns is null ? ", its default" : ", set by --retained")}).")
            .Append($"{invocations} step invocations per engine run (counted from the run's item stream); steps/s = runs/s x {invocations}.")
            .Append($"per process: median of {options.Rounds} interleaved rounds of {options.Runs} runs; alloc = GC.GetTotalAllocatedBytes(precise) delta / runs, all threads.");
        return new BenchmarkReport(Name, Description, rows, notes.ToArray());
    }
}
