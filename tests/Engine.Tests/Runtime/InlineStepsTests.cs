using System.Collections.Concurrent;
using Workflows.Engine.Tests.Support;
using Workflows.Model;

namespace Workflows.Engine.Tests.Runtime;

/// <summary>
/// Cheap steps run on the worker thread that launched them (InlineSteps): the thread they ran on, worker caps, and the
/// watchdog that hands queued steps to the thread pool when one of them holds the thread up. Steps are made cheap by
/// feeding their cost tracker the evidence, so no test depends on how fast this machine runs them.
/// </summary>
public sealed class InlineStepsTests
{
    private sealed record Item(int N) : Event;

    private sealed record Done(int N) : Event;

    /// <summary>start sends <c>width</c> items; work records its thread; gather collects.</summary>
    private sealed class FanWorkflow(int width, Func<Item, Done>? work = null) : Workflow
    {
        public ConcurrentDictionary<string, ConcurrentBag<int>> Threads { get; } = new();

        [Step, Emits(typeof(Item))]
        public void Start(StartEvent ev, IStepContext ctx)
        {
            Record("start");
            for (var i = 0; i < width; i++)
            {
                ctx.SendEvent(new Item(i));
            }
        }

        [Step(NumWorkers = 2)]
        public Done Work(Item item)
        {
            Record("work");
            return work?.Invoke(item) ?? new Done(item.N);
        }

        [Step]
        public StopEvent? Gather(Done done, IStepContext ctx) =>
            ctx.CollectEvents<Done>(done, width) is { } all ? new StopEvent(all.Sum(d => d.N)) : null;

        private void Record(string step) => Threads.GetOrAdd(step, _ => []).Add(Environment.CurrentManagedThreadId);
    }

    private static void MakeCheap(Workflow workflow, params string[] steps)
    {
        foreach (var step in steps)
        {
            var cost = workflow.GetModel().FindStep(step)!.Cost;
            for (var i = 0; i < StepCost.Evidence; i++)
            {
                cost.Observe(TimeSpan.Zero);
            }
            Assert.True(cost.IsCheap);
        }
    }

    /// <summary>
    /// Runs fresh workflows until one run's sends were applied by the sending thread itself. Another thread may hold the
    /// run's loop at that moment (the caller, finishing the start); it then launches the steps, and a thread that is not
    /// running steps hands them to the pool. That is a race of microseconds, so a few tries find the common case.
    /// </summary>
    private static async Task<(TWorkflow Workflow, RunHandle Run, RunOutcome Outcome)> RunUntilInlineAsync<TWorkflow>(
        Func<TWorkflow> create, Func<TWorkflow, bool> ranInline, params string[] cheap)
        where TWorkflow : Workflow
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var workflow = create();
            MakeCheap(workflow, cheap);
            var run = await workflow.StartAsync();
            var outcome = await run.Outcome.WaitAsync(TimeSpan.FromSeconds(10));
            if (ranInline(workflow))
            {
                return (workflow, run, outcome);
            }
        }
        throw new Xunit.Sdk.XunitException("In 20 runs, the sending thread never ran the cheap steps it launched.");
    }

    [Fact]
    public async Task CheapFanOut_RunsOnTheSendersThread_WithinTheWorkerCap()
    {
        // Arrange, Act
        var (workflow, run, outcome) = await RunUntilInlineAsync(() => new FanWorkflow(width: 8),
            w => w.Threads["work"].All(t => t == w.Threads["start"].Single()), "start", "work", "gather");

        // Assert: the eight ran one after the other on the sender's thread, holding two worker slots at most.
        Assert.Equal(RunStatus.Completed, outcome.Status);
        Assert.Equal(28, outcome.Result);
        Assert.Equal(8, workflow.Threads["work"].Count);
        var items = run.Items.Snapshot();
        Assert.Equal(8, items.OfType<StepCompleted>().Count(c => c.Step == "work"));
        Assert.InRange(items.MaxConcurrent("work"), 1, 2);
        Assert.All(items.OfStep("work"), i => Assert.InRange(i.Worker, 0, 1));
    }

    [Fact]
    public async Task OrdinaryStep_FanOut_GoesToThePool()
    {
        // Arrange: work waits until two invocations are inside, which only the thread pool can give it.
        var gate = new ArrivalGate(2);
        var workflow = new FanWorkflow(width: 2, item =>
        {
            gate.ArriveAndWaitAsync().Wait(TimeSpan.FromSeconds(10));
            return new Done(item.N);
        });
        MakeCheap(workflow, "start", "gather");

        // Act
        var run = await workflow.StartAsync();
        var outcome = await run.Outcome.WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.Equal(RunStatus.Completed, outcome.Status);
        Assert.Equal(2, run.Items.Snapshot().MaxConcurrent("work"));
        Assert.False(workflow.GetModel().FindStep("work")!.Cost.IsCheap);
    }

    [Fact]
    public async Task CheapStepThatBlocksOnItsSibling_WatchdogHandsTheSiblingToThePool()
    {
        // Arrange: a cheap step turns out to wait for its sibling, which waits behind it on the same thread.
        using var bothInside = new Barrier(2);
        var workflow = new FanWorkflow(width: 2, item => bothInside.SignalAndWait(TimeSpan.FromSeconds(10))
            ? new Done(item.N)
            : throw new TimeoutException("the sibling never ran"));
        MakeCheap(workflow, "start", "work", "gather");

        // Act
        var run = await workflow.StartAsync();
        var outcome = await run.Outcome.WaitAsync(TimeSpan.FromSeconds(10));

        // Assert: both ran at once (so one left the queue for another thread), and work is no longer cheap.
        Assert.Equal(RunStatus.Completed, outcome.Status);
        Assert.Equal(2, workflow.Threads["work"].Distinct().Count());
        Assert.Equal(2, run.Items.Snapshot().MaxConcurrent("work"));
        Assert.False(workflow.GetModel().FindStep("work")!.Cost.IsCheap);
    }

    [Fact]
    public async Task CheapStepBehindALongChain_WatchdogHandsItToThePool()
    {
        // Arrange, Act: "spin" re-sends itself until "other" has run; "other" waits under it on the same thread.
        var (workflow, _, outcome) = await RunUntilInlineAsync(() => new ChainWorkflow(), w => w.Spins > 1,
            "start", "spin_step", "other_step");

        // Assert: the chain only stops once "other" has run, so "other" ran while the chain kept its thread busy (the
        // chain may then move to the thread that ran "other": whichever thread applies a send runs what it launches).
        Assert.Equal(RunStatus.Completed, outcome.Status);
        Assert.True(workflow.Spins > 1);
    }

    private sealed record Spin : Event;

    private sealed record Other : Event;

    private sealed class ChainWorkflow : Workflow
    {
        private volatile bool _otherRan;
        private int _spins;

        public int Spins => _spins;

        [Step, Emits(typeof(Other), typeof(Spin))]
        public void Start(StartEvent ev, IStepContext ctx)
        {
            ctx.SendEvent(new Other()); // queued first: it waits under the chain
            ctx.SendEvent(new Spin());
        }

        [Step, Emits(typeof(Spin))]
        public StopEvent? SpinStep(Spin ev, IStepContext ctx)
        {
            Interlocked.Increment(ref _spins);
            if (_otherRan)
            {
                return new StopEvent("done");
            }
            ctx.SendEvent(new Spin());
            return null;
        }

        [Step]
        public StopEvent? OtherStep(Other ev)
        {
            _otherRan = true;
            return null; // the chain stops the run once it sees this ran
        }
    }

    [Fact]
    public async Task CheapStep_RunEndsWhileItWaits_NotRun()
    {
        // Arrange, Act: the first work invocation to run stops the run, while its siblings wait on the same thread.
        var (workflow, run, outcome) = await RunUntilInlineAsync(() => new StopEarlyWorkflow(),
            w => w.WorkThreads.All(t => t == w.StartThread), "start", "work");

        // Assert: the waiting ones never ran; the stream says they were canceled.
        Assert.Equal(RunStatus.Completed, outcome.Status);
        Assert.Single(workflow.WorkThreads);
        var items = run.Items.Snapshot();
        Assert.Single(items.OfType<StepCompleted>(), c => c.Step == "work");
        Assert.Equal(3, items.OfType<StepCanceled>().Count(c => c.Step == "work"));
    }

    private sealed class StopEarlyWorkflow : Workflow
    {
        public int StartThread { get; private set; }

        public ConcurrentBag<int> WorkThreads { get; } = [];

        [Step, Emits(typeof(Item))]
        public void Start(StartEvent ev, IStepContext ctx)
        {
            StartThread = Environment.CurrentManagedThreadId;
            for (var i = 0; i < 4; i++)
            {
                ctx.SendEvent(new Item(i));
            }
        }

        [Step]
        public StopEvent Work(Item item)
        {
            WorkThreads.Add(Environment.CurrentManagedThreadId);
            return new StopEvent(item.N);
        }
    }
}
