using System.Collections.Concurrent;
using Workflows.Engine.Tests.Support;

namespace Workflows.Engine.Tests.Runtime;

/// <summary>Events that find every worker slot of a step taken wait in a FIFO queue per step.</summary>
public sealed class StepQueueTests
{
    private sealed record Item(int N) : Event;

    private sealed class SerialWorkflow(int count, Signal release) : Workflow
    {
        public ConcurrentQueue<int> Order { get; } = new();

        [Step, Emits(typeof(Item))]
        public void Fan(StartEvent ev, IStepContext ctx)
        {
            for (var i = 0; i < count; i++)
            {
                ctx.SendEvent(new Item(i));
            }
        }

        [Step(NumWorkers = 1)]
        public async Task<StopEvent?> Serial(Item ev)
        {
            Order.Enqueue(ev.N);
            if (ev.N == 0)
            {
                // Hold the only slot until every other event is queued behind this one.
                await release.WaitAsync();
            }
            return Order.Count == count ? new StopEvent(Order.ToArray()) : null;
        }
    }

    [Fact]
    public async Task StepQueue_EventsQueuedBehindBusyWorker_StartInEnqueueOrder()
    {
        // Arrange
        var release = new Signal();
        var workflow = new SerialWorkflow(count: 10, release);
        var run = await workflow.StartAsync();

        // Act: release the first invocation only once all 10 events have been routed (9 of them queued).
        await run.ReadUntilAsync(items => items.OfType<EventEmitted>().Count(e => e.EventType == nameof(Item)) == 10);
        release.Set();
        var outcome = await run.Outcome.WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.Equal(RunStatus.Completed, outcome.Status);
        Assert.Equal(Enumerable.Range(0, 10), workflow.Order);
        var items = run.Items.Snapshot();
        var lastRouted = items.OfType<EventEmitted>().Last(e => e.EventType == nameof(Item)).Sequence;
        var starts = items.OfType<StepStarted>().Where(s => s.Step == "serial").ToList();
        Assert.Equal(10, starts.Count);
        Assert.All(starts.Skip(1), s => Assert.True(s.Sequence > lastRouted, "the later invocations must have waited in the queue"));
        Assert.Equal(1, items.MaxConcurrent("serial"));
    }
}
