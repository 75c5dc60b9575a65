using System.Collections.Concurrent;
using Workflows.Engine.Tests.Support;

namespace Workflows.Engine.Tests.Runtime;

/// <summary>
/// A cheap step's sends are held and applied with its outcome (StepInvocation.HeldSends.cs): call order is kept, sends
/// from other threads keep their order, and a step that waits for what it sent is not left waiting.
/// </summary>
public sealed class HeldSendsTests
{
    private sealed record Ping(int N) : Event;

    private sealed record Pong(int N) : Event;

    /// <summary>Sends 1 and 2 itself, 3 from another thread it waits for, 4 itself, then returns 5.</summary>
    private sealed class OrderWorkflow : Workflow
    {
        public ConcurrentQueue<int> Received { get; } = new();

        [Step, Emits(typeof(Ping))]
        public Ping Start(StartEvent ev, IStepContext ctx)
        {
            ctx.SendEvent(new Ping(1));
            ctx.SendEvent(new Ping(2));
            var helper = new Thread(() => ctx.SendEvent(new Ping(3)));
            helper.Start();
            helper.Join();
            ctx.SendEvent(new Ping(4));
            return new Ping(5);
        }

        [Step(NumWorkers = 1)]
        public StopEvent? Receive(Ping ping, IStepContext ctx)
        {
            Received.Enqueue(ping.N);
            return ctx.CollectEvents<Ping>(ping, 5) is { } all ? new StopEvent(all.Count) : null;
        }
    }

    [Fact]
    public async Task CheapStep_SendsFromItsThreadAndAnother_RoutedInTheOrderSent()
    {
        // Arrange
        var workflow = new OrderWorkflow();
        workflow.MakeCheap("start");

        // Act
        var run = await workflow.StartAsync();
        var outcome = await run.Outcome.WaitAsync(TimeSpan.FromSeconds(10));

        // Assert: the stream and the receiver (one worker, so in launch order) saw 1..5 in order.
        Assert.Equal(RunStatus.Completed, outcome.Status);
        var emitted = run.Items.Snapshot().OfType<EventEmitted>().Select(e => e.Event).OfType<Ping>().Select(p => p.N).ToArray();
        Assert.Equal([1, 2, 3, 4, 5], emitted);
        Assert.Equal([1, 2, 3, 4, 5], workflow.Received);
    }

    /// <summary>start sends a ping and waits, blocking its thread, until the ping has been answered.</summary>
    private sealed class WaitForReplyWorkflow : Workflow
    {
        private readonly ManualResetEventSlim _answered = new();

        public bool Answered { get; private set; }

        [Step, Emits(typeof(Ping))]
        public StopEvent Start(StartEvent ev, IStepContext ctx)
        {
            ctx.SendEvent(new Ping(1));
            Answered = _answered.Wait(TimeSpan.FromSeconds(10));
            return new StopEvent(Answered);
        }

        [Step]
        public StopEvent? Answer(Ping ping)
        {
            _answered.Set();
            return null;
        }
    }

    [Fact]
    public async Task CheapStep_WaitsForWhatItSent_WatchdogSendsItAndTheStepBecomesOrdinary()
    {
        // Arrange
        var workflow = new WaitForReplyWorkflow();
        workflow.MakeCheap("start", "answer");

        // Act
        var run = await workflow.StartAsync();
        var outcome = await run.Outcome.WaitAsync(TimeSpan.FromSeconds(15));

        // Assert
        Assert.Equal(RunStatus.Completed, outcome.Status);
        Assert.True(workflow.Answered);
        Assert.False(workflow.GetModel().FindStep("start")!.Cost.IsCheap);
    }

    /// <summary>start sends a ping, then awaits its answer: what it sent before the await goes before the await.</summary>
    private sealed class AwaitReplyWorkflow : Workflow
    {
        private readonly TaskCompletionSource _answered = new(TaskCreationOptions.RunContinuationsAsynchronously);

        [Step, Emits(typeof(Ping))]
        public async Task<StopEvent> Start(StartEvent ev, IStepContext ctx)
        {
            ctx.SendEvent(new Ping(1));
            await _answered.Task.WaitAsync(TimeSpan.FromSeconds(10));
            return new StopEvent("answered");
        }

        [Step]
        public StopEvent? Answer(Ping ping)
        {
            _answered.TrySetResult();
            return null;
        }
    }

    [Fact]
    public async Task CheapAsyncStep_SendsBeforeItsFirstAwait_GoOutBeforeTheAwait()
    {
        // Arrange
        var workflow = new AwaitReplyWorkflow();
        workflow.MakeCheap("start", "answer");

        // Act
        var run = await workflow.StartAsync();
        var outcome = await run.Outcome.WaitAsync(TimeSpan.FromSeconds(10));

        // Assert: answered (held until the step's outcome, the ping would never have been answered: start waits for it).
        Assert.Equal(RunStatus.Completed, outcome.Status);
        Assert.Equal("answered", outcome.Result);
    }

    /// <summary>start sends a ping, writes to the stream, sends another: the stream keeps that order.</summary>
    private sealed class WriteBetweenSendsWorkflow : Workflow
    {
        [Step, Emits(typeof(Ping))]
        public void Start(StartEvent ev, IStepContext ctx)
        {
            ctx.SendEvent(new Ping(1));
            ctx.WriteEventToStream("between");
            ctx.SendEvent(new Ping(2));
        }

        [Step]
        public StopEvent? Receive(Ping ping, IStepContext ctx) =>
            ctx.CollectEvents<Ping>(ping, 2) is { } ? new StopEvent("both") : null;
    }

    [Fact]
    public async Task CheapStep_StreamWriteBetweenSends_KeepsItsPlace()
    {
        // Arrange
        var workflow = new WriteBetweenSendsWorkflow();
        workflow.MakeCheap("start");

        // Act
        var run = await workflow.StartAsync();
        var outcome = await run.Outcome.WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.Equal(RunStatus.Completed, outcome.Status);
        var items = run.Items.Snapshot();
        var first = items.OfType<EventEmitted>().First(e => e.Event is Ping { N: 1 }).Sequence;
        var write = items.OfType<StreamWritten>().Single().Sequence;
        var second = items.OfType<EventEmitted>().First(e => e.Event is Ping { N: 2 }).Sequence;
        Assert.True(first < write && write < second, $"ping 1 at {first}, the write at {write}, ping 2 at {second}");
    }
}
