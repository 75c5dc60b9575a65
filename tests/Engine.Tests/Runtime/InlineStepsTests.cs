using System.Collections.Concurrent;
using Workflows.Engine.Tests.Support;

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

    /// <summary>Makes the steps cheap, runs the workflow once, and waits for its outcome.</summary>
    private static async Task<(RunHandle Run, RunOutcome Outcome)> RunCheapAsync(Workflow workflow, params string[] cheap)
    {
        workflow.MakeCheap(cheap);
        var run = await workflow.StartAsync();
        return (run, await run.Outcome.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task CheapFanOut_RunsOnTheSendersThread_WithinTheWorkerCap()
    {
        // Arrange, Act
        var workflow = new FanWorkflow(width: 8);
        // A warm-up run compiles the steps: a first call can take longer than a cheap step may, and make it ordinary.
        await RunCheapAsync(workflow, "start", "work", "gather");
        workflow.Threads.Clear();
        var (run, outcome) = await RunCheapAsync(workflow, "start", "work", "gather");

        // Assert: the eight ran one after the other on the sender's thread, holding two worker slots at most.
        Assert.Equal(RunStatus.Completed, outcome.Status);
        Assert.All(workflow.Threads["work"], thread => Assert.Equal(workflow.Threads["start"].Single(), thread));
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
        workflow.MakeCheap("start", "gather");

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
        workflow.MakeCheap("start", "work", "gather");

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
        var workflow = new ChainWorkflow();
        var (_, outcome) = await RunCheapAsync(workflow, "start", "spin_step", "other_step");

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
        var workflow = new StopEarlyWorkflow();
        var (run, outcome) = await RunCheapAsync(workflow, "start", "work");

        // Assert: the waiting ones never ran; the stream says they were canceled.
        Assert.Equal(RunStatus.Completed, outcome.Status);
        Assert.Equal(workflow.StartThread, Assert.Single(workflow.WorkThreads));
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

    /// <summary>start awaits a signal that the test gives from a thread of its own; then "after" runs.</summary>
    private sealed class AwaitSignalWorkflow : Workflow
    {
        public TaskCompletionSource Signal { get; } = new(); // continuations run on the thread that sets it

        public int AfterThread { get; private set; }

        [Step]
        public async Task<Item> Start(StartEvent ev)
        {
            await Signal.Task;
            return new Item(1);
        }

        [Step]
        public StopEvent After(Item item)
        {
            AfterThread = Environment.CurrentManagedThreadId;
            return new StopEvent("after");
        }
    }

    [Fact]
    public async Task StepCompletedOnACallersThread_WhatItLaunchesRunsElsewhere()
    {
        // Arrange
        var workflow = new AwaitSignalWorkflow();
        workflow.MakeCheap("start", "after");
        var run = await workflow.StartAsync();
        var caller = new Thread(() => workflow.Signal.SetResult()); // not a thread-pool thread

        // Act: start's rest runs on the caller's thread, inside SetResult.
        caller.Start();
        caller.Join();
        var outcome = await run.Outcome.WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.Equal(RunStatus.Completed, outcome.Status);
        Assert.NotEqual(caller.ManagedThreadId, workflow.AfterThread);
    }

    /// <summary>start sends two items; the first to run holds its thread until the test lets it go.</summary>
    private sealed class HeldUpWorkflow : Workflow
    {
        private int _ran;

        public ManualResetEventSlim Inside { get; } = new();

        public ManualResetEventSlim LetGo { get; } = new();

        public int Ran => _ran;

        [Step, Emits(typeof(Item))]
        public void Start(StartEvent ev, IStepContext ctx)
        {
            ctx.SendEvent(new Item(0));
            ctx.SendEvent(new Item(1));
        }

        [Step]
        public StopEvent? Work(Item item)
        {
            if (Interlocked.Increment(ref _ran) == 1)
            {
                Inside.Set();
                LetGo.Wait(TimeSpan.FromSeconds(10));
            }
            return null;
        }
    }

    [Fact]
    public async Task RunCanceledWhileACheapStepHoldsItsThread_TheStepBehindItNeverRuns()
    {
        // Arrange: work is cheap, so both items wait on start's thread; the first to run blocks it.
        var workflow = new HeldUpWorkflow();
        workflow.MakeCheap("start", "work");
        var run = await workflow.StartAsync();
        Assert.True(workflow.Inside.Wait(TimeSpan.FromSeconds(10)));

        // Act: cancel, wait until the watchdog has found the thread held up (it then hands the other item on, or the
        // thread finds it when let go), then let go.
        run.Cancel("test");
        var outcome = await run.Outcome.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(SpinWait.SpinUntil(() => !workflow.GetModel().FindStep("work")!.Cost.IsCheap, TimeSpan.FromSeconds(10)));
        workflow.LetGo.Set();

        // Assert: both were recorded canceled (the one holding the thread, and the one behind it), and the one behind
        // it never ran, whether the watchdog or the thread found it.
        Assert.Equal(RunStatus.Canceled, outcome.Status);
        Assert.Equal(1, workflow.Ran);
        Assert.Equal(2, run.Items.Snapshot().OfType<StepCanceled>().Count(c => c.Step == "work"));
    }
}
