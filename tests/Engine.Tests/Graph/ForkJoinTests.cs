using static Workflows.Engine.Tests.Graph.GraphTestKit;

namespace Workflows.Engine.Tests.Graph;

/// <summary>Graph rules "fork" and "join": taken edges run concurrently; a join runs once, after every activated branch.</summary>
public sealed class ForkJoinTests
{
    private static readonly string[] s_branches = ["b1", "b2", "b3"];

    [Fact]
    public async Task Fork_ThreeUnconditionalEdges_BranchesRunConcurrently()
    {
        // Arrange: each branch waits until all three have started, which only a concurrent fork can satisfy.
        var allStarted = new Rendezvous(3);
        var branches = s_branches.Select(name => Step(name, async (ctx, _) =>
        {
            await allStarted.ArriveAndWaitAsync();
            ctx.Set(name, true);
            return null;
        }));
        var definition = Definition("fork", [Noop("start"), .. branches, Noop("join")],
            [.. s_branches.Select(b => new Edge("start", b)), .. s_branches.Select(b => new Edge(b, "join"))], "start", "join");

        // Act
        var (_, outcome, items) = await RunAsync(definition);

        // Assert
        outcome.AssertCompleted();
        Assert.Equal(3, allStarted.Arrived);
        Assert.Equal(3, items.MaxOverlap(s_branches));
        Assert.All(s_branches, b => Assert.True(outcome.Context()[b]!.GetValue<bool>()));
    }

    [Fact]
    public async Task Join_BranchesFinishInAnyOrder_RunsExactlyOnceAfterTheLastBranch()
    {
        // Arrange: the branches are released one by one (b3, b1, b2), so the join's trigger is the last of them.
        var release = s_branches.ToDictionary(b => b, _ => new Latch());
        var joinRuns = 0;
        var branches = s_branches.Select(name => Step(name, async (_, _) =>
        {
            await release[name].WaitAsync();
            return name;
        }));
        var join = Step("join", (ctx, _) =>
        {
            Interlocked.Increment(ref joinRuns);
            ctx.Set("seen", s_branches.Select(b => ctx.GetOutput<string>(b)).ToArray());
            return Task.FromResult<object?>(null);
        });
        var definition = Definition("join", [Noop("start"), .. branches, join],
            [.. s_branches.Select(b => new Edge("start", b)), .. s_branches.Select(b => new Edge(b, "join"))], "start", "join");
        var run = await StartAsync(definition);

        // Act
        foreach (var name in (string[])["b3", "b1", "b2"])
        {
            release[name].Set();
            await run.WaitForItemAsync(i => i is StepCompleted c && c.Step == name);
        }
        var outcome = await run.Outcome.WaitAsync(Patience);
        var items = run.Items.Snapshot();

        // Assert
        outcome.AssertCompleted();
        Assert.Equal(1, joinRuns);
        var joinStarted = items.SingleSeq<StepStarted>("join");
        Assert.All(s_branches, b => Assert.True(joinStarted > items.SingleSeq<StepCompleted>(b), $"join started before {b} completed"));
        Assert.Equal(["b1", "b2", "b3"], outcome.Context()["seen"]!.AsArray().Select(n => n!.GetValue<string>()));
        items.SingleTerminal<RunCompleted>();
    }

    [Fact]
    public async Task Join_FalseConditionBranch_DoesNotBlockJoinWhichRunsOnce()
    {
        // Arrange: start → taken → join, start → skipped (false) → skipped2 → join: the dead path is two steps long.
        var joinRuns = 0;
        var definition = Definition("dead-path",
            [
                Noop("start"), Noop("taken"), Noop("not_taken"), Noop("not_taken_2"),
                Step("join", (_, _) => { Interlocked.Increment(ref joinRuns); return Task.FromResult<object?>(null); }),
            ],
            [
                new Edge("start", "taken"),
                new Edge("start", "not_taken", "amount > 1000"),
                new Edge("taken", "join"),
                new Edge("not_taken", "not_taken_2"),
                new Edge("not_taken_2", "join"),
            ],
            "start", "join");

        // Act
        var (_, outcome, items) = await RunAsync(definition, new { amount = 5 });

        // Assert
        outcome.AssertCompleted();
        Assert.Equal(1, joinRuns);
        Assert.Equal(["start", "taken", "join"], items.StartedSteps());
        Assert.True(items.SingleSeq<StepStarted>("join") > items.SingleSeq<StepCompleted>("taken"));
    }

    [Fact]
    public async Task Join_EveryBranchTakenByCondition_WaitsForAllOfThem()
    {
        // Arrange: both conditional edges hold; the slow branch is still running when the fast one completes.
        var releaseSlow = new Latch();
        var definition = Definition("both-taken",
            [
                Noop("start"),
                Noop("fast"),
                Step("slow", async (_, _) => { await releaseSlow.WaitAsync(); return null; }),
                Noop("join"),
            ],
            [
                new Edge("start", "fast", "amount > 1"),
                new Edge("start", "slow", "amount > 2"),
                new Edge("fast", "join"),
                new Edge("slow", "join"),
            ],
            "start", "join");
        var run = await StartAsync(definition, new { amount = 5 });

        // Act
        await run.WaitForItemAsync(i => i is StepCompleted { Step: "fast" });
        releaseSlow.Set();
        var outcome = await run.Outcome.WaitAsync(Patience);
        var items = run.Items.Snapshot();

        // Assert
        outcome.AssertCompleted();
        Assert.True(items.SingleSeq<StepStarted>("join") > items.SingleSeq<StepCompleted>("slow"));
    }

    [Fact]
    public async Task Completion_NoTerminalStepReached_FailsNamingWhereBranchesStopped()
    {
        // Arrange: "check" is not terminal and its only edge is false, so the branch stops there.
        var definition = Definition("stops-short",
            [Noop("start"), Noop("check"), Noop("done")],
            [new Edge("start", "check"), new Edge("check", "done", "approved == true")],
            "start", "done");

        // Act
        var (_, outcome, items) = await RunAsync(definition, new { approved = false });

        // Assert
        Assert.Equal(RunStatus.Failed, outcome.Status);
        Assert.Equal("no_terminal_step", outcome.Error!.Type);
        Assert.Contains("branches stopped at: check", outcome.Error.Message, StringComparison.Ordinal);
        Assert.Contains("done", outcome.Error.Message, StringComparison.Ordinal);
        Assert.Empty(items.Of<StepStarted>("done"));
        items.SingleTerminal<RunFailed>();
    }
}
