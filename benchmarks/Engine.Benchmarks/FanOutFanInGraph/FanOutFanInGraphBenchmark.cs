using Workflows.Benchmarks.FanOutFanIn;
using Workflows.Benchmarks.Harness;
using Workflows.Benchmarks.Profiling;

namespace Workflows.Benchmarks.FanOutFanInGraph;

/// <summary>
/// The graph form of 1 → 10 → collect (<see cref="FanOutFanInGraphDefinition"/>: a fork of ten edges and a join of
/// ten edges) on <see cref="LocalExecutionEngine"/>, against the same floor as the event-driven form:
/// <see cref="FanOutFanInBaseline"/> (10 x <c>Task.Run</c> + <c>Task.WhenAll</c>).
/// </summary>
internal sealed class FanOutFanInGraphBenchmark : ComparisonBenchmark
{
    private LocalExecutionEngine? _engine;

    public override string Name => "graph";

    public override string Description => "graph 1 -> 10 -> join (start, ten edges to work_1..work_10, ten edges to join) vs 10 x Task.Run + Task.WhenAll";

    protected override IEnumerable<string> Notes =>
    [
        "every work step is its own node (one worker each), so all ten run at once; join runs once, after the ten.",
        "each work step returns FanOutFanInShape.Compute(i) (boxed, recorded as JSON output); join sums the ten outputs into the context's 'sum'.",
        "runs start with no input (StartWorkflowAsync(name)) and are awaited through RunHandle.Outcome; the result is the final context.",
    ];

    protected override void Setup()
    {
        var registry = new WorkflowRegistry();
        registry.Register(FanOutFanInGraphDefinition.Create());
        _engine = new LocalExecutionEngine(registry, EngineSettings);
    }

    protected override async Task RunEngineOnceAsync()
    {
        var run = await _engine!.StartWorkflowAsync(FanOutFanInGraphDefinition.WorkflowName).ConfigureAwait(false);
        var outcome = await run.Outcome.ConfigureAwait(false);
        if (outcome.Status != RunStatus.Completed || FanOutFanInGraphDefinition.Sum(outcome.Result) != FanOutFanInShape.ExpectedResult)
        {
            throw new InvalidOperationException($"Engine run {run.RunId} ended as {outcome.Status} with {outcome.Result?.ToString() ?? outcome.Error?.ToString()}, " +
                $"not sum = {FanOutFanInShape.ExpectedResult}.");
        }
    }

    protected override async Task RunBaselineOnceAsync()
    {
        var stop = await FanOutFanInBaseline.RunAsync().ConfigureAwait(false);
        if (stop.Result is not long sum || sum != FanOutFanInShape.ExpectedResult)
        {
            throw new InvalidOperationException($"Baseline produced {stop.Result}, not {FanOutFanInShape.ExpectedResult}.");
        }
    }

    /// <summary><c>--profile</c>: the engine's allocations by type (sampled), and the run's items by type.</summary>
    public override async Task ProfileAsync(BenchmarkOptions options, TextWriter output)
    {
        if (_engine is null)
        {
            Configure(options);
            Setup();
        }
        const int sampledRounds = 40;
        var inFlight = options.Concurrency;
        output.WriteLine();
        output.WriteLine($"== {Name} profile ({options.Runs} runs per round, {inFlight} in flight)");
        var sample = await _engine!.StartWorkflowAsync(FanOutFanInGraphDefinition.WorkflowName).ConfigureAwait(false);
        await sample.Outcome.ConfigureAwait(false);
        var items = sample.Items.Snapshot();
        output.WriteLine($"Items per run: {items.Count} ({string.Join(", ", items.GroupBy(i => i.Type).Select(g => $"{g.Count()} {g.Key}"))}).");
        using var sampler = new AllocationSampler();
        await RoundRunner.MeasureAsync(RunEngineOnceAsync, options.Runs, inFlight, $"{Name} / engine / allocation sampling").ConfigureAwait(false);
        sampler.Start();
        var total = 0L;
        for (var i = 0; i < sampledRounds; i++)
        {
            total += (await RoundRunner.MeasureAsync(RunEngineOnceAsync, options.Runs, inFlight, $"{Name} / engine / allocation sampling").ConfigureAwait(false)).AllocatedBytes;
        }
        await Task.Delay(500).ConfigureAwait(false); // the listener's dispatch thread lags a little
        var byType = sampler.Stop();
        var runs = (double)sampledRounds * options.Runs;
        var sampled = byType.Sum(t => t.Bytes);
        output.WriteLine($"Engine allocations by type (GCAllocationTick sampling over {runs:N0} runs: {byType.Sum(t => t.Samples):N0} samples, " +
            $"{sampled / runs:N0} B/run sampled vs {total / runs:N0} B/run exact; types under 1% folded):");
        output.WriteLine($"{"B/run",8}{"share",8}  type");
        var other = 0.0;
        foreach (var (type, bytes, _) in byType)
        {
            if ((double)bytes / sampled < 0.01)
            {
                other += bytes;
                continue;
            }
            output.WriteLine($"{bytes / runs,8:N0}{(double)bytes / sampled,8:P0}  {type}");
        }
        output.WriteLine($"{other / runs,8:N0}{other / sampled,8:P0}  (other types)");
    }

    protected override async Task<int> CountStepInvocationsAsync()
    {
        var run = await _engine!.StartWorkflowAsync(FanOutFanInGraphDefinition.WorkflowName).ConfigureAwait(false);
        await run.Outcome.ConfigureAwait(false);
        var started = run.Items.Snapshot().OfType<StepStarted>().ToArray();
        if (started.Length != FanOutFanInGraphDefinition.StepInvocations)
        {
            throw new InvalidOperationException($"Expected {FanOutFanInGraphDefinition.StepInvocations} step invocations per run, counted {started.Length}: " +
                string.Join(", ", started.Select(s => s.Step)));
        }
        return started.Length;
    }
}
