using System.Diagnostics;
using System.Reflection;
using Workflows.Benchmarks.Harness;
using Workflows.Benchmarks.Profiling;
using Workflows.Model;
using Workflows.Runtime;
using Workflows.Runtime.Ticks;

namespace Workflows.Benchmarks.FanOutFanIn;

/// <summary>
/// Event-driven 1 → 10 → collect on <see cref="LocalExecutionEngine"/> versus the same shape with
/// <c>Task.WhenAll</c> (<see cref="FanOutFanInBaseline"/>).
/// </summary>
internal sealed class FanOutFanInBenchmark : ComparisonBenchmark
{
    private readonly FanOutFanInWorkflow _workflow = new();
    private LocalExecutionEngine? _engine;

    public override string Name => "fanout";

    public override string Description => "event-driven 1 -> 10 -> collect (start sends 10, work x10, collect x10) vs 10 x Task.Run + Task.WhenAll";

    protected override IEnumerable<string> Notes =>
    [
        "the work step has NumWorkers = 10 (default 4) so the fan-out is not throttled; collect keeps the default 4.",
        "runs start with no input (StartWorkflowAsync(name)) and are awaited through RunHandle.Outcome.",
        "all three steps are cheap (under 50 us) after their first 16 invocations, in the warm-up: each run then stays on the thread that runs its start step (docs/event-driven.md, \"Where steps run\").",
    ];

    protected override void Setup()
    {
        var registry = new WorkflowRegistry();
        registry.Register(_workflow);
        _engine = new LocalExecutionEngine(registry, EngineSettings);
    }

    protected override async Task RunEngineOnceAsync()
    {
        var run = await _engine!.StartWorkflowAsync(FanOutFanInWorkflow.WorkflowName).ConfigureAwait(false);
        var outcome = await run.Outcome.ConfigureAwait(false);
        if (outcome.Status != RunStatus.Completed || outcome.Result is not long sum || sum != FanOutFanInShape.ExpectedResult)
        {
            throw new InvalidOperationException($"Engine run {run.RunId} ended as {outcome.Status} with {outcome.Result ?? outcome.Error}, not {FanOutFanInShape.ExpectedResult}.");
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
        var run = await _engine!.StartWorkflowAsync(FanOutFanInWorkflow.WorkflowName).ConfigureAwait(false);
        await run.Outcome.ConfigureAwait(false);
        var started = run.Items.Snapshot().OfType<StepStarted>().ToArray();
        var expected = 1 + FanOutFanInShape.Width + FanOutFanInShape.Width;
        if (started.Length != expected)
        {
            throw new InvalidOperationException($"Expected {expected} step invocations per run, counted {started.Length}.");
        }
        return started.Length;
    }

    public override async Task ProfileAsync(BenchmarkOptions options, TextWriter output)
    {
        if (_engine is null)
        {
            Configure(options);
            Setup();
        }
        Func<Task> engine = RunEngineOnceAsync;
        Func<Task> baseline = RunBaselineOnceAsync;
        var inFlight = options.Concurrency;
        output.WriteLine();
        output.WriteLine($"== {Name} profile ({options.Runs} runs per round, {inFlight} in flight)");

        // 1. Wall and CPU time, thread-pool hops and bytes per run, engine vs baseline, in each mode.
        output.WriteLine();
        output.WriteLine("Per run, over >= 1 s of rounds (CPU = the process's CPU time, idle thread-pool spinning included; cores = CPU / wall; TP hops = work items):");
        output.WriteLine($"{"impl",-14}{"mode",-18}{"wall us",9}{"CPU us",9}{"cores",7}{"TP hops",9}{"alloc B",10}");
        var bytesPerRun = new Dictionary<string, double>();
        foreach (var mode in options.Modes)
        {
            foreach (var (label, run) in new[] { ("Task.WhenAll", baseline), ("engine", engine) })
            {
                var warm = Stopwatch.StartNew();
                while (warm.Elapsed < options.MinimumWarmup)
                {
                    await RoundRunner.MeasureAsync(run, options.Runs, mode.InFlight, $"{Name} / {label} / {mode.Name} (profile)").ConfigureAwait(false);
                }
                // Summed over at least a second of rounds: CPU time has microsecond resolution, but one round is short.
                var (rounds, cpu, wall, hops, allocated, runs) = (0, TimeSpan.Zero, TimeSpan.Zero, 0L, 0L, 0L);
                while (rounds < options.Rounds || wall < TimeSpan.FromSeconds(1))
                {
                    var round = await RoundRunner.MeasureAsync(run, options.Runs, mode.InFlight, $"{Name} / {label} / {mode.Name} (profile)").ConfigureAwait(false);
                    cpu += round.CpuTime;
                    (rounds, wall, hops, allocated, runs) = (rounds + 1, wall + round.Elapsed, hops + round.ThreadPoolWorkItems,
                        allocated + round.AllocatedBytes, runs + round.Runs);
                }
                var bytes = (double)allocated / runs;
                bytesPerRun.TryAdd(label, bytes);
                output.WriteLine($"{label,-14}{$"{mode.Name} ({mode.InFlight})",-18}{wall.TotalMicroseconds / runs,9:0.0}" +
                    $"{cpu.TotalMicroseconds / runs,9:0.0}{cpu / wall,7:0.00}{(double)hops / runs,9:0.0}{bytes,10:N0}");
            }
        }

        // 2. Allocations by type, sampled in-process from GCAllocationTick.
        const int sampledRounds = 40;
        using (var sampler = new AllocationSampler())
        {
            await RoundRunner.MeasureAsync(engine, options.Runs, inFlight, $"{Name} / engine / allocation sampling").ConfigureAwait(false);
            sampler.Start();
            var total = 0L;
            for (var i = 0; i < sampledRounds; i++)
            {
                total += (await RoundRunner.MeasureAsync(engine, options.Runs, inFlight, $"{Name} / engine / allocation sampling").ConfigureAwait(false)).AllocatedBytes;
            }
            await Task.Delay(500).ConfigureAwait(false); // the listener's dispatch thread lags a little
            var byType = sampler.Stop();
            var runs = (double)sampledRounds * options.Runs;
            var sampled = byType.Sum(t => t.Bytes);
            output.WriteLine();
            output.WriteLine($"Engine allocations by type (GCAllocationTick sampling over {runs:N0} runs: {byType.Sum(t => t.Samples):N0} samples, " +
                $"{sampled / runs:N0} B/run sampled vs {total / runs:N0} B/run exact; types under 0.5% folded):");
            output.WriteLine($"{"B/run",8}{"share",8}  type");
            var other = 0.0;
            foreach (var (type, bytes, _) in byType)
            {
                var share = (double)bytes / sampled;
                if (share < 0.005)
                {
                    other += bytes;
                    continue;
                }
                output.WriteLine($"{bytes / runs,8:N0}{share,8:P0}  {type}{DeclaredIn(type)}");
            }
            output.WriteLine($"{other / runs,8:N0}{other / sampled,8:P0}  (other types)");
            output.WriteLine();
            output.WriteLine("The same samples by part of the engine:");
            foreach (var group in byType.GroupBy(t => Component(t.Type)).Select(g => (Part: g.Key, Bytes: g.Sum(t => t.Bytes))).OrderByDescending(g => g.Bytes))
            {
                output.WriteLine($"{group.Bytes / runs,8:N0}{(double)group.Bytes / sampled,8:P0}  {group.Part}");
            }
        }

        // 3. The engine's pieces, measured one by one on this thread: what one run does of each.
        output.WriteLine();
        output.WriteLine("Engine pieces per run, measured in isolation on one thread (exact bytes; ns without contention or hops):");
        output.WriteLine($"{"B/run",8}{"ns/run",9}  piece");
        var sample = await _engine!.StartWorkflowAsync(FanOutFanInWorkflow.WorkflowName).ConfigureAwait(false);
        await sample.Outcome.ConfigureAwait(false);
        var pieces = MeasurePieces(sample.Items.Snapshot().ToArray());
        foreach (var (piece, bytes, ns) in pieces)
        {
            output.WriteLine($"{bytes,8:N0}{ns,9:N0}  {piece}");
        }
        var engineBytes = bytesPerRun["engine"];
        var whole = pieces.Where(p => !p.Piece.StartsWith(' ')).ToArray();
        var pieceBytes = whole.Sum(p => p.Bytes);
        output.WriteLine($"{pieceBytes,8:N0}{whole.Sum(p => p.Nanoseconds),9:N0}  = sum of pieces (indented lines are parts of the line above, or say why they are not summed)");
        output.WriteLine($"{engineBytes - pieceBytes,8:N0}{"",9}  = remainder of the measured {engineBytes:N0} B/run: async state machines, Outcome continuation, harness (its baseline twin costs {bytesPerRun["Task.WhenAll"]:N0} B/run in all)");
    }

    /// <summary>For a compiler-generated closure class (the event names it without its declaring type): where it is declared.</summary>
    private static string DeclaredIn(string type)
    {
        if (!type.StartsWith("<>c__DisplayClass", StringComparison.Ordinal))
        {
            return "";
        }
        var owners = new[] { typeof(Workflow).Assembly, typeof(FanOutFanInBenchmark).Assembly }
            .SelectMany(a => a.GetTypes())
            .Where(t => t.Name == type && t.DeclaringType is not null)
            .Select(t => $"{t.DeclaringType!.Name} capturing {string.Join(", ", t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic).Select(f => f.Name))}")
            .Distinct()
            .ToArray();
        return owners.Length == 0 ? "" : $" (closure in {string.Join(" or ", owners)})";
    }

    /// <summary>Which part of a run allocates objects of <paramref name="type"/> (by the runtime's type name).</summary>
    private static string Component(string type) => type switch
    {
        _ when type.StartsWith("System.Int32[]", StringComparison.Ordinal) || type.StartsWith("System.Type[]", StringComparison.Ordinal)
            || type.StartsWith("System.Boolean[]", StringComparison.Ordinal) || type.StartsWith("System.Comparison", StringComparison.Ordinal)
            || type.StartsWith("System.Func`2[System.Int32", StringComparison.Ordinal) || type.StartsWith("System.Func`2[System.Type", StringComparison.Ordinal)
            || type.Contains("Iterator", StringComparison.Ordinal) || type.Contains("EnumerableSorter", StringComparison.Ordinal)
            || type.Contains("[System.Int64,Workflows.Event]", StringComparison.Ordinal)
            || type.StartsWith("Workflows.Event[]", StringComparison.Ordinal) || type.EndsWith("WorkResult[]", StringComparison.Ordinal)
            || type.Contains("[System.String,System.String],System.Collections.Generic.List", StringComparison.Ordinal)
            => "collect: CollectEvents<T> + CollectBuffers (LINQ sort, arrays, closures per call)",
        _ when type.StartsWith("<>c__DisplayClass", StringComparison.Ordinal) => "closures: lambdas capturing locals (see the type list for where)",
        "Entry[]" or "Workflows.RunItem[]" or "Workflows.EventEmitted" or "Workflows.StepStarted" or "Workflows.StepCompleted"
            or "Workflows.RunStarted" or "Workflows.RunCompleted" => "item stream: 66 compact entries (Entry[], records built only when read) + RunStarted, RunCompleted",
        "Workflows.Runtime.StepInvocation" or "Workflows.Runtime.StepInvocation+Rare" or "Workflows.Runtime.Ticks.EventPosted"
            => "scheduling: 21 StepInvocations (each also its result tick), 10 EventPosted ticks",
        _ when type.Contains("Workflows.Runtime.Ticks.Tick", StringComparison.Ordinal) || type.Contains("System.Threading.Channels", StringComparison.Ordinal)
            || type.Contains("Channel", StringComparison.Ordinal)
            => "tick queue (per run) and its growth (none since the inbox chains the ticks)",
        _ when type.StartsWith("Workflows.Benchmarks", StringComparison.Ordinal) && !type.Contains("AsyncStateMachineBox", StringComparison.Ordinal)
            || type is "Workflows.StopEvent" or "System.Int64"
            => "the workflow's own events and result",
        _ when type.Contains("Workflows.Benchmarks", StringComparison.Ordinal) => "harness (the run's awaiting wrapper)",
        _ => "run setup and the rest (RunLoop, state store, pools, ids, outcome, async machinery)",
    };

    private List<(string Piece, double Bytes, double Nanoseconds)> MeasurePieces(RunItem[] template)
    {
        var model = _workflow.GetModel();
        var time = TimeProvider.System;
        var start = new StartEvent();
        var newLoop = RunLoopFactory.Create(_engine!, model, start, "0197a0b0c0d0e0f0a0b0c0d0e0f0a0b0");
        var loop = newLoop();
        var startStep = model.FindStep("start")!;
        var workStep = model.FindStep("work")!;
        var collectStep = model.FindStep("collect")!;
        var width = FanOutFanInShape.Width;
        var items = Enumerable.Range(0, width).Select(i => new WorkItem(i)).ToArray();
        var results = items.Select(FanOutFanInShape.Work).ToArray();
        var stop = FanOutFanInShape.Collect(results);
        var invocation = new StepInvocation(loop, workStep, items[0], 0, 1);

        // Everything a piece makes is stored here, so that the JIT's escape analysis cannot keep it on the stack.
        var sink = new object?[Math.Max(128, template.Length)];

        // The item stream of one real run: the pieces copy its records ("with { }" clones through the records' copy
        // constructors), so they cost what the engine's records cost without depending on their constructors.
        int RunItems(object?[] into)
        {
            for (var i = 0; i < template.Length; i++)
            {
                into[i] = template[i] with { };
            }
            return template.Length;
        }
        var kinds = string.Join(", ", template.GroupBy(i => i.GetType().Name).Select(g => g.Count() == 1 ? g.Key : $"{g.Count()} {g.Key}"));
        var prebuilt = new object?[Math.Max(128, template.Length)];
        var itemCount = RunItems(prebuilt);
        var pools = model.Steps.Select(s => s.Options.NumWorkers).ToArray();

        var pieces = new List<(string, double, double)>();
        void Add(string piece, Action body, Action? minus = null)
        {
            var (bytes, ns) = PieceMeter.Measure(body);
            if (minus is not null)
            {
                var (minusBytes, minusNs) = PieceMeter.Measure(minus);
                bytes -= minusBytes;
                ns -= minusNs;
            }
            pieces.Add((piece, bytes, ns));
        }

        Add("run id: RunIds.New (UUIDv7, buffered random bits), as LocalExecutionEngine makes it", () => sink[0] = RunIds.New(DateTimeOffset.UtcNow));
        Add("  . for comparison: Guid.CreateVersion7().ToString(\"N\"), as it was made before (not summed)", () => sink[0] = Guid.CreateVersion7().ToString("N"));
        Add("start event from null input (StartEvent + JsonObject)", () => sink[0] = StartEventFactory.Create(model.StartEventType, null));
        Add("new RunLoop, with everything its constructor makes", () => sink[0] = newLoop());
        Add("RunHandle + Task.FromResult", () => sink[0] = Task.FromResult(new RunHandle(loop)));
        // The item log as a run writes it: per-step items as compact entries (their records are built only when the
        // stream is read), the rest as records; one publish per pass.
        void WriteLikeARun(RunItemLog log, DateTimeOffset now)
        {
            for (var i = 0; i < itemCount; i++)
            {
                switch (template[i])
                {
                    case StepStarted started:
                        log.WriteStepStarted(model.FindStep(started.Step)!, started.Worker, started.Attempt, started.EventType, now);
                        break;
                    case StepCompleted completed:
                        log.WriteStepCompleted(model.FindStep(completed.Step)!, completed.Worker, completed.Attempt, completed.Group, now);
                        break;
                    case EventEmitted { TargetStep: null } emitted:
                        log.WriteEventEmitted(emitted.Event, emitted.Step, now);
                        break;
                    default:
                        var item = (RunItem)prebuilt[i]!;
                        (item.Sequence, item.Timestamp, item.RunId) = (i + 1, now, "id");
                        log.Write(item, terminal: i == itemCount - 1);
                        break;
                }
            }
            log.Publish();
        }
        Add($"item log: {itemCount} items ({kinds}) written to a RunItemLog sized by the hint, as a run writes them (no records for step items)", () =>
        {
            var log = new RunItemLog("id", capacity: itemCount);
            WriteLikeARun(log, time.GetUtcNow());
            sink[0] = log;
        }, minus: () => sink[0] = new RunItemLog("id", capacity: itemCount));
        Add($"clock: {itemCount / 2} x TimeProvider.System.GetUtcNow() (about one per batch of ticks, not one per item)", () =>
        {
            var last = default(DateTimeOffset);
            for (var i = 0; i < itemCount / 2; i++)
            {
                last = time.GetUtcNow();
            }
            sink[0] = last.Offset == TimeSpan.MaxValue ? sink : null;
        });
        Add($"  . not summed: reading the stream once builds the {itemCount} records from the entries (a run nobody watches never does)", () =>
        {
            var log = new RunItemLog("id", capacity: itemCount);
            WriteLikeARun(log, time.GetUtcNow());
            sink[0] = log.Snapshot();
        }, minus: () =>
        {
            var log = new RunItemLog("id", capacity: itemCount);
            WriteLikeARun(log, time.GetUtcNow());
            sink[0] = log;
        });
        Add("  . not summed: 10 EventPosted ticks, made only when a send finds the loop busy (a step's result is its StepInvocation)", () =>
        {
            for (var i = 0; i < width; i++)
            {
                sink[i] = new EventPosted(items[i], invocation, null);
            }
        });
        Add("StepInvocation x21 (the context and the work item)", () =>
        {
            var n = 0;
            sink[n++] = new StepInvocation(loop, startStep, start, 0, 1);
            for (var i = 0; i < width; i++)
            {
                sink[n++] = new StepInvocation(loop, workStep, items[i], i, 1);
                sink[n++] = new StepInvocation(loop, collectStep, results[i], 0, 1);
            }
        });
        Add("routing: Model.Route(type) x22", () =>
        {
            sink[0] = model.Route(typeof(StartEvent));
            for (var i = 0; i < width; i++)
            {
                sink[1] = model.Route(typeof(WorkItem));
                sink[2] = model.Route(typeof(WorkResult));
            }
            sink[3] = model.Route(typeof(StopEvent));
        });
        Add($"  . not summed: {itemCount / 2} x TimeProvider.System.GetTimestamp() (the monotonic clock, for comparison)", () =>
        {
            var last = 0L;
            for (var i = 0; i < itemCount / 2; i++)
            {
                last = time.GetTimestamp();
            }
            sink[0] = last == long.MinValue ? sink : null;
        });
        Add("CollectEvents<WorkResult>(ev, 10) x10, as a step calls it (by step index, with its order; the first call makes the buffer)", () =>
        {
            var context = new CollectOnlyContext(new CollectBuffers(), collectStep.Index);
            for (var i = 0; i < width; i++)
            {
                sink[i] = context.CollectEvents<WorkResult>(results[i], width);
            }
            sink[10] = context;
        }, minus: () => sink[10] = new CollectOnlyContext(new CollectBuffers(), collectStep.Index));
        var completed = template.OfType<RunEnded>().Last();
        var idlePools = pools.Select(n => new WorkerPool(n)).ToArray();
        Add("  . not summed: End's reason text + LINQ scan of the pools, as RunLoop.End did it before 4c0f398 (it now scans slots)", () =>
        {
            sink[0] = $"the run {completed.Type["run.".Length..].Replace('_', ' ')}";
            for (var i = 0; i < idlePools.Length; i++)
            {
                sink[1 + i] = idlePools[i].Running.Where(invocation => !invocation.Done).ToArray();
            }
        });
        Add("End: RunStatus.ToWireName() for a log call the NullLogger drops (names cached since 4c0f398)", () => sink[0] = RunStatus.Completed.ToWireName());
        Add("End: cancel the run's token (CancellationTokenSource.CancelAsync)", () =>
        {
            var source = new CancellationTokenSource();
            sink[0] = source;
            sink[1] = source.CancelAsync();
        }, minus: () => sink[0] = new CancellationTokenSource());
        Add("End: RunOutcome", () => sink[0] = new RunOutcome(RunStatus.Completed, stop.Result, null) { StopEvent = stop });
        Add("the workflow's own objects: 10 WorkItem, 10 WorkResult, StopEvent, boxed result", () =>
        {
            for (var i = 0; i < width; i++)
            {
                var item = new WorkItem(i);
                sink[i] = item;
                sink[10 + i] = FanOutFanInShape.Work(item);
            }
            sink[20] = FanOutFanInShape.Collect(results);
        });
        GC.KeepAlive(sink);
        return pieces;
    }

    /// <summary>A context that only collects, over a buffer of its own: CollectEvents as StepInvocation forwards it.</summary>
    private sealed class CollectOnlyContext(CollectBuffers buffers, int stepIndex) : IStepContext
    {
        private long _order; // each call stands for another invocation, as the loop orders them
        public string RunId => "";

        public string StepName => "collect";

        public int Worker => 0;

        public int Attempt => 1;

        public CancellationToken CancellationToken => default;

        public StateStore Store => throw new NotSupportedException();

        public void SendEvent(Event ev, string? step = null) => throw new NotSupportedException();

        public IReadOnlyList<Event>? CollectEvents(Event ev, IReadOnlyList<Type> types, string? bufferId = null) =>
            buffers.Collect(stepIndex, StepName, bufferId, ev, types, ++_order);

        public void WriteEventToStream(object? data) => throw new NotSupportedException();
    }
}
