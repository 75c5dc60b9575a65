using static Workflows.Engine.Tests.Graph.GraphTestKit;

namespace Workflows.Engine.Tests.Graph;

/// <summary>Cycles: a back edge whose condition holds runs its target again; the loop exits when it no longer holds.</summary>
public sealed class CycleTests
{
    private static MachineStep Counter(string name) => new(name, ctx => ctx.Set("count", ctx.Get<int>("count") + 1));

    [Fact]
    public async Task Cycle_SelfLoopThreeTimes_RunsTheLoopedStepThreeTimesThenExits()
    {
        // Arrange
        var definition = Definition("self-loop",
            [Noop("start"), Counter("loop"), Noop("done")],
            [new Edge("start", "loop"), new Edge("loop", "loop", "count < 3"), new Edge("loop", "done", "count >= 3")],
            "start", "done");

        // Act
        var (_, outcome, items) = await RunAsync(definition);

        // Assert
        outcome.AssertCompleted();
        Assert.Equal(3, outcome.Context()["count"]!.GetValue<int>());
        Assert.Equal(["start", "loop", "loop", "loop", "done"], items.StartedSteps());
        Assert.Equal(3, items.Of<StepCompleted>("loop").Count);
    }

    [Fact]
    public async Task Cycle_TwoStepLoop_BodyRunsThreeTimes()
    {
        // Arrange: start → work → check; check → work while count < 3, check → done after.
        var definition = Definition("two-step-loop",
            [Noop("start"), Counter("work"), Noop("check"), Noop("done")],
            [
                new Edge("start", "work"),
                new Edge("work", "check"),
                new Edge("check", "work", "count < 3"),
                new Edge("check", "done", "count >= 3"),
            ],
            "start", "done");

        // Act
        var (_, outcome, items) = await RunAsync(definition);

        // Assert
        outcome.AssertCompleted();
        Assert.Equal(["start", "work", "check", "work", "check", "work", "check", "done"], items.StartedSteps());
    }

    [Fact]
    public async Task Cycle_LoopBesideAnotherBranch_JoinWaitsForTheLoopToExit()
    {
        // Arrange: start forks into a loop and a side branch that meet at "join". The side branch completes while
        // the loop is on its first round; the join must still wait for the loop's exit, and run once.
        var handle = new TaskCompletionSource<RunHandle>(TaskCreationOptions.RunContinuationsAsynchronously);
        var loop = Step("loop", async (ctx, _) =>
        {
            var count = ctx.Get<int>("count");
            if (count == 0)
            {
                var run = await handle.Task.WaitAsync(Patience);
                await run.WaitForItemAsync(i => i is StepCompleted { Step: "side" });
            }
            ctx.Set("count", count + 1);
            return null;
        });
        var joinRuns = 0;
        var definition = Definition("loop-join",
            [
                Noop("start"), loop, Noop("side"),
                Step("join", (ctx, _) =>
                {
                    Interlocked.Increment(ref joinRuns);
                    ctx.Set("count_at_join", ctx.Get<int>("count"));
                    return Task.FromResult<object?>(null);
                }),
            ],
            [
                new Edge("start", "loop"),
                new Edge("start", "side"),
                new Edge("loop", "loop", "count < 3"),
                new Edge("loop", "join", "count >= 3"),
                new Edge("side", "join"),
            ],
            "start", "join");

        // Act
        var started = await StartAsync(definition);
        handle.SetResult(started);
        var outcome = await started.Outcome.WaitAsync(Patience);
        var items = started.Items.Snapshot();

        // Assert
        outcome.AssertCompleted();
        Assert.Equal(1, joinRuns);
        Assert.Equal(3, outcome.Context()["count_at_join"]!.GetValue<int>());
        Assert.Equal(3, items.Of<StepCompleted>("loop").Count);
        Assert.True(items.SingleSeq<StepStarted>("join") > items.Of<StepCompleted>("loop")[^1].Sequence);
    }
}
