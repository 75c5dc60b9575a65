using Workflows.Benchmarks.FanOutFanIn;
using Workflows.Benchmarks.Harness;

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
        _engine = new LocalExecutionEngine(registry);
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
