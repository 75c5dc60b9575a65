using System.Collections.Concurrent;
using Workflows.Engine.Tests.Support;
using Workflows.Runtime;

namespace Workflows.Engine.Tests.Runtime;

/// <summary>
/// CollectEvents: null until the whole multiset is buffered; then one event per entry ordered by the types list,
/// same-type events in arrival order; surplus kept; the collecting step is never re-run.
/// </summary>
public sealed class CollectEventsTests
{
    private abstract record Tagged(string Tag) : Event;

    private sealed record A(string Tag) : Tagged(Tag);

    private sealed record B(string Tag) : Tagged(Tag);

    private sealed record C(string Tag) : Tagged(Tag);

    private sealed record Batch(string[] Tags) : Event;

    private static Tagged Make(string tag) => tag[0] switch
    {
        'A' => new A(tag),
        'B' => new B(tag),
        'C' => new C(tag),
        _ => throw new ArgumentOutOfRangeException(nameof(tag)),
    };

    private static string[] Tags(IReadOnlyList<Event>? events) => events!.Cast<Tagged>().Select(e => e.Tag).ToArray();

    // ---- the buffer itself ------------------------------------------------------------------------------------

    public static TheoryData<string[]> ArrivalPermutations() => new()
    {
        new[] { "A1", "B1", "C1" },
        new[] { "A1", "C1", "B1" },
        new[] { "B1", "A1", "C1" },
        new[] { "B1", "C1", "A1" },
        new[] { "C1", "A1", "B1" },
        new[] { "C1", "B1", "A1" },
    };

    [Theory]
    [MemberData(nameof(ArrivalPermutations))]
    public void Collect_ShuffledArrivals_OrderedByTypesList(string[] arrivals)
    {
        // Arrange
        var buffers = new CollectBuffers();
        Type[] types = [typeof(C), typeof(A), typeof(B)];

        // Act
        var results = arrivals.Select(tag => buffers.Collect("join", null, Make(tag), types)).ToList();

        // Assert
        Assert.Null(results[0]);
        Assert.Null(results[1]);
        Assert.Equal(["C1", "A1", "B1"], Tags(results[2]));
    }

    [Fact]
    public void Collect_SameTypeEvents_InArrivalOrder()
    {
        // Arrange
        var buffers = new CollectBuffers();
        Type[] types = [typeof(A), typeof(B), typeof(A)];

        // Act
        Assert.Null(buffers.Collect("join", null, new A("A-first"), types));
        Assert.Null(buffers.Collect("join", null, new B("B1"), types));
        var result = buffers.Collect("join", null, new A("A-second"), types);

        // Assert
        Assert.Equal(["A-first", "B1", "A-second"], Tags(result));
    }

    [Fact]
    public void Collect_SurplusEvents_KeptForNextCollection()
    {
        // Arrange: collect three A and one B; four A arrive before the first B.
        var buffers = new CollectBuffers();
        Type[] types = [typeof(A), typeof(A), typeof(A), typeof(B)];
        foreach (var tag in new[] { "A1", "A2", "A3", "A4" })
        {
            Assert.Null(buffers.Collect("join", null, new A(tag), types));
        }

        // Act
        var first = buffers.Collect("join", null, new B("B1"), types);
        var afterA5 = buffers.Collect("join", null, new A("A5"), types);
        var afterA6 = buffers.Collect("join", null, new A("A6"), types);
        var second = buffers.Collect("join", null, new B("B2"), types);

        // Assert: A4 was not dropped; it opens the next collection.
        Assert.Equal(["A1", "A2", "A3", "B1"], Tags(first));
        Assert.Null(afterA5);
        Assert.Null(afterA6);
        Assert.Equal(["A4", "A5", "A6", "B2"], Tags(second));
    }

    [Fact]
    public void Collect_DifferentBufferIdsAndSteps_DoNotShareEvents()
    {
        // Arrange
        var buffers = new CollectBuffers();
        Type[] types = [typeof(A), typeof(B)];

        // Act
        Assert.Null(buffers.Collect("join", "x", new A("A-x"), types));
        Assert.Null(buffers.Collect("join", "y", new B("B-y"), types));
        Assert.Null(buffers.Collect("other", null, new B("B-other"), types));
        var x = buffers.Collect("join", "x", new B("B-x"), types);

        // Assert
        Assert.Equal(["A-x", "B-x"], Tags(x));
    }

    [Fact]
    public void Collect_EventOfNoListedType_ThrowsNamingStepAndType()
    {
        // Arrange
        var buffers = new CollectBuffers();

        // Act
        var error = Assert.Throws<ArgumentException>(() => buffers.Collect("join", null, new C("C1"), [typeof(A), typeof(B)]));

        // Assert
        Assert.Contains("'join'", error.Message);
        Assert.Contains(nameof(C), error.Message);
    }

    // ---- through a run ----------------------------------------------------------------------------------------

    /// <summary>Sends the given tags in order to a single-worker collector that collects [C, A, B].</summary>
    private sealed class OrderedJoinWorkflow(string[] arrivals) : Workflow
    {
        private int _invocations;

        public int Invocations => Volatile.Read(ref _invocations);

        [Step, Emits(typeof(A), typeof(B), typeof(C))]
        public void Fan(StartEvent ev, IStepContext ctx)
        {
            foreach (var tag in arrivals)
            {
                ctx.SendEvent(Make(tag));
            }
        }

        [Step(NumWorkers = 1), Accepts(typeof(A), typeof(B), typeof(C))]
        public StopEvent? Join(Tagged ev, IStepContext ctx)
        {
            Interlocked.Increment(ref _invocations);
            return ctx.CollectEvents(ev, [typeof(C), typeof(A), typeof(B)]) is { } all ? new StopEvent(Tags(all)) : null;
        }
    }

    [Theory]
    [MemberData(nameof(ArrivalPermutations))]
    public async Task CollectEvents_InRunWithShuffledArrivals_ResultOrderedByTypesAndStepRunOncePerEvent(string[] arrivals)
    {
        // Arrange
        var workflow = new OrderedJoinWorkflow(arrivals);

        // Act
        var run = await workflow.StartAsync();
        var outcome = await run.Outcome.WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.Equal(RunStatus.Completed, outcome.Status);
        Assert.Equal(["C1", "A1", "B1"], Assert.IsType<string[]>(outcome.Result));
        Assert.Equal(3, workflow.Invocations);
        Assert.Equal(3, run.Items.Snapshot().OfType<StepStarted>().Count(s => s.Step == "join"));
    }

    /// <summary>Sends A1..A4, B1, A5, A6, B2 to a collector of [A, A, A, B]; a reporter joins the two batches.</summary>
    private sealed class SurplusWorkflow : Workflow
    {
        private int _invocations;

        public int Invocations => Volatile.Read(ref _invocations);

        [Step, Emits(typeof(A), typeof(B))]
        public void Fan(StartEvent ev, IStepContext ctx)
        {
            foreach (var tag in new[] { "A1", "A2", "A3", "A4", "B1", "A5", "A6", "B2" })
            {
                ctx.SendEvent(Make(tag));
            }
        }

        [Step(NumWorkers = 1), Accepts(typeof(A), typeof(B))]
        public Batch? Join(Tagged ev, IStepContext ctx)
        {
            Interlocked.Increment(ref _invocations);
            return ctx.CollectEvents(ev, [typeof(A), typeof(A), typeof(A), typeof(B)]) is { } all ? new Batch(Tags(all)) : null;
        }

        [Step(NumWorkers = 1)]
        public StopEvent? Report(Batch ev, IStepContext ctx) =>
            ctx.CollectEvents<Batch>(ev, 2) is { } batches ? new StopEvent(batches.Select(b => string.Join(",", b.Tags)).ToArray()) : null;
    }

    [Fact]
    public async Task CollectEvents_InRunWithSurplus_SurplusOpensNextCollection()
    {
        // Arrange
        var workflow = new SurplusWorkflow();

        // Act
        var run = await workflow.StartAsync();
        var outcome = await run.Outcome.WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.Equal(RunStatus.Completed, outcome.Status);
        Assert.Equal(["A1,A2,A3,B1", "A4,A5,A6,B2"], Assert.IsType<string[]>(outcome.Result));
        Assert.Equal(8, workflow.Invocations);
        Assert.Equal(8, run.Items.Snapshot().OfType<StepStarted>().Count(s => s.Step == "join"));
    }

    /// <summary>Four concurrent collectors (default workers) gather 20 events: exactly one collection, no re-runs.</summary>
    private sealed class ConcurrentJoinWorkflow : Workflow
    {
        public const int Count = 20;
        private int _invocations;
        private int _collections;

        public int Invocations => Volatile.Read(ref _invocations);

        public int Collections => Volatile.Read(ref _collections);

        public ConcurrentBag<string> Seen { get; } = [];

        [Step, Emits(typeof(A))]
        public void Fan(StartEvent ev, IStepContext ctx)
        {
            for (var i = 0; i < Count; i++)
            {
                ctx.SendEvent(new A($"A{i}"));
            }
        }

        [Step]
        public async Task<StopEvent?> Join(A ev, IStepContext ctx)
        {
            Interlocked.Increment(ref _invocations);
            await Task.Yield();
            if (ctx.CollectEvents<A>(ev, Count) is not { } all)
            {
                return null;
            }
            Interlocked.Increment(ref _collections);
            return new StopEvent(all.Select(a => a.Tag).Distinct().Count());
        }
    }

    [Fact]
    public async Task CollectEvents_ConcurrentCollectors_OneAtomicCollectionAndNoReRuns()
    {
        // Arrange
        var workflow = new ConcurrentJoinWorkflow();

        // Act
        var run = await workflow.StartAsync();
        var outcome = await run.Outcome.WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.Equal(RunStatus.Completed, outcome.Status);
        Assert.Equal(ConcurrentJoinWorkflow.Count, outcome.Result);
        Assert.Equal(1, workflow.Collections);
        Assert.Equal(ConcurrentJoinWorkflow.Count, workflow.Invocations);
        Assert.All(run.Items.Snapshot().OfStep("join").OfType<StepStarted>(), s => Assert.Equal(1, s.Attempt));
    }
}
