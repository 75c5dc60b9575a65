using Workflows.Engine.Tests.Support;
using Workflows.Runtime;

namespace Workflows.Engine.Tests.Runtime;

/// <summary>
/// "Arrival order" in CollectEvents is the order the loop started the collecting step on each event, not the
/// order in which concurrent workers of that step happen to call CollectEvents.
/// </summary>
public sealed class CollectArrivalOrderTests
{
    private sealed record Item(int Index) : Event;

    private sealed class ReverseCallers : Workflow
    {
        public const int Count = 4;
        private readonly ArrivalGate _allInside = new(Count);
        private readonly TaskCompletionSource[] _turn = Enumerable.Range(0, Count + 1)
            .Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();

        public ReverseCallers() => _turn[Count].SetResult(); // the last index calls first

        [Step, Emits(typeof(Item))]
        public void Start(StartEvent ev, IStepContext ctx)
        {
            for (var i = 0; i < Count; i++)
            {
                ctx.SendEvent(new Item(i));
            }
        }

        [Step(NumWorkers = Count)]
        public async Task<StopEvent?> Collect(Item item, IStepContext ctx)
        {
            await _allInside.ArriveAndWaitAsync();
            await _turn[item.Index + 1].Task.WaitAsync(TimeSpan.FromSeconds(5));
            try
            {
                return ctx.CollectEvents<Item>(item, Count) is { } all ? new StopEvent(all.Select(e => e.Index).ToArray()) : null;
            }
            finally
            {
                _turn[item.Index].SetResult();
            }
        }
    }

    [Fact]
    public async Task CollectEvents_WorkersCallInReverse_ResultFollowsStartOrder()
    {
        // Arrange
        var run = await new ReverseCallers().StartAsync();

        // Act
        var outcome = await run.Outcome.WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.Equal(RunStatus.Completed, outcome.Status);
        var started = run.Items.Snapshot().OfType<StepStarted>().Where(s => s.Step == "collect").Count();
        Assert.Equal(ReverseCallers.Count, started);
        Assert.Equal([0, 1, 2, 3], (int[])outcome.Result!);
    }

    [Fact]
    public void Collect_CallsOutOfOrder_BufferKeepsStartOrder()
    {
        // Arrange
        var buffers = new CollectBuffers();
        Type[] types = [typeof(Item), typeof(Item), typeof(Item)];

        // Act
        Assert.Null(buffers.Collect("join", null, new Item(3), types, order: 30));
        Assert.Null(buffers.Collect("join", null, new Item(1), types, order: 10));
        var result = buffers.Collect("join", null, new Item(2), types, order: 20);

        // Assert
        Assert.Equal([1, 2, 3], result!.Cast<Item>().Select(i => i.Index));
    }
}
