using static Workflows.Engine.Tests.Graph.GraphTestKit;

namespace Workflows.Engine.Tests.Graph;

/// <summary>Graph rule "RaceGroup": the first member to succeed wins, the others are cancelled; all failing fails the group.</summary>
public sealed class RaceGroupTests
{
    [Fact]
    public async Task Race_FastMemberSucceeds_SlowMemberTokenFiresItIsCanceledAndItsLateWriteNeverHappens()
    {
        // Arrange: the fast member only returns once the slow one is running, so there is something to cancel.
        var slowStarted = new Latch();
        var slowToken = new Latch();
        var slowFinished = new Latch();
        var slow = Step("slow", async (ctx, ct) =>
        {
            using var registration = slowToken.SetOn(ct);
            slowStarted.Set();
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
                ctx.Set("late", "slow wrote after losing");
                return "slow";
            }
            finally
            {
                slowFinished.Set();
            }
        });
        var fast = Step("fast", async (_, _) =>
        {
            await slowStarted.WaitAsync();
            return "fast";
        });
        var definition = Definition("race",
            [new RaceGroup("race", slow, fast), Step("after", (ctx, _) =>
            {
                ctx.Set("winner", ctx.GetOutput<string>("race"));
                return Task.FromResult<object?>(null);
            })],
            [new Edge("race", "after")], "race", "after");

        // Act
        var (run, outcome, items) = await RunAsync(definition);
        await slowToken.WaitAsync();
        await slowFinished.WaitAsync();

        // Assert
        outcome.AssertCompleted();
        Assert.Equal("fast", outcome.Context()["winner"]!.GetValue<string>());
        var canceled = Assert.Single(items.Of<StepCanceled>("slow"));
        Assert.Equal("race", canceled.Group);
        Assert.Contains("fast", canceled.Reason, StringComparison.Ordinal);
        Assert.True(canceled.Sequence > items.SingleSeq<StepCompleted>("fast"));
        Assert.Empty(items.Of<StepCompleted>("slow"));
        Assert.Empty(items.Of<StepFailed>("slow"));
        Assert.False(outcome.Context().ContainsKey("late"));
        Assert.Null(run.Store.Get<string>("late"));
        Assert.True(items.SingleSeq<StepStarted>("after") > items.SingleSeq<StepCompleted>("fast"));
        items.SingleTerminal<RunCompleted>();
    }

    [Fact]
    public async Task Race_FastMemberFails_SlowMemberWins()
    {
        // Arrange: the slow member returns only after the loop has recorded the fast member's failure.
        var handle = new TaskCompletionSource<RunHandle>(TaskCreationOptions.RunContinuationsAsynchronously);
        var fast = Step("fast", (_, _) => throw new InvalidOperationException("fast broke"));
        var slow = Step("slow", async (_, _) =>
        {
            var run = await handle.Task.WaitAsync(Patience);
            await run.WaitForItemAsync(i => i is StepFailed { Step: "fast" });
            return "slow";
        });
        var definition = Definition("race-fail-fast",
            [new RaceGroup("race", fast, slow), Step("after", (ctx, _) =>
            {
                ctx.Set("winner", ctx.GetOutput<string>("race"));
                return Task.FromResult<object?>(null);
            })],
            [new Edge("race", "after")], "race", "after");

        // Act
        var started = await StartAsync(definition);
        handle.SetResult(started);
        var outcome = await started.Outcome.WaitAsync(Patience);
        var items = started.Items.Snapshot();

        // Assert
        outcome.AssertCompleted();
        Assert.Equal("slow", outcome.Context()["winner"]!.GetValue<string>());
        Assert.Equal("race", Assert.Single(items.Of<StepFailed>("fast")).Group);
        Assert.True(items.SingleSeq<StepCompleted>("slow") > items.SingleSeq<StepFailed>("fast"));
        Assert.Empty(items.OfType<StepCanceled>());
        Assert.Single(items.Of<StepStarted>("after"));
    }

    [Fact]
    public async Task Race_EveryMemberFails_RunFailsWithEveryError()
    {
        // Arrange
        var definition = Definition("race-all-fail",
            [
                new RaceGroup("race",
                    Step("first", (_, _) => throw new InvalidOperationException("first error")),
                    Step("second", async (_, _) => { await Task.Yield(); throw new ArgumentException("second error"); }),
                    Step("third", (_, _) => throw new TimeoutException("third error"))),
                Noop("after"),
            ],
            [new Edge("race", "after")], "race", "after");

        // Act
        var (_, outcome, items) = await RunAsync(definition);

        // Assert
        Assert.Equal(RunStatus.Failed, outcome.Status);
        Assert.Equal("race_failed", outcome.Error!.Type);
        Assert.Equal("race", outcome.Error.Step);
        foreach (var (step, message) in new[] { ("first", "first error"), ("second", "second error"), ("third", "third error") })
        {
            Assert.Contains($"{step}: {message}", outcome.Error.Message, StringComparison.Ordinal);
            Assert.Single(items.Of<StepFailed>(step));
        }
        Assert.Empty(items.Of<StepStarted>("after"));
        Assert.Equal("race_failed", items.SingleTerminal<RunFailed>().Error.Type);
    }

    [Fact]
    public async Task RaceLoser_FinishingDespiteItsToken_LeavesNoOutputAndNoSuccessHook()
    {
        // Arrange: the loser ignores its token and returns after losing; the step after the race watches for its output.
        // The winner waits until the loser runs (a loser that has not started when the race is decided never starts).
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var loserReturned = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var loserStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var loserSucceeded = false;
        var loser = new StubbornStep("loser", release.Task, loserReturned, () => loserSucceeded = true) { Started = loserStarted };
        var definition = GraphTestKit.Definition("stubborn_race",
            [
                new RaceGroup("race", GraphTestKit.Step("winner", async (_, _) =>
                {
                    await loserStarted.Task.WaitAsync(GraphTestKit.Patience);
                    return "w";
                }), loser),
                GraphTestKit.Step("after", async (ctx, _) =>
                {
                    release.TrySetResult();
                    await loserReturned.Task.WaitAsync(GraphTestKit.Patience);
                    // The old defect wrote the loser's output from its worker right after it returned; give it the chance.
                    for (var i = 0; i < 50 && !ctx.Outputs.ContainsKey("loser"); i++)
                    {
                        await Task.Delay(10, CancellationToken.None);
                    }
                    ctx.Set("outputs", ctx.Outputs.Keys.Order(StringComparer.Ordinal).ToArray());
                    return null;
                }),
            ],
            [new Edge("race", "after")],
            "race", "after");

        // Act
        var (_, outcome, items) = await GraphTestKit.RunAsync(definition);

        // Assert
        Assert.Equal(RunStatus.Completed, outcome.Status);
        var context = (System.Text.Json.Nodes.JsonObject)outcome.Result!;
        Assert.Equal(["race", "winner"], context["outputs"]!.AsArray().Select(n => (string)n!));
        Assert.False(loserSucceeded);
        Assert.Single(items.OfType<StepCanceled>(), c => c.Step == "loser");
    }

    private sealed class StubbornStep(string name, Task release, TaskCompletionSource returned, Action onSuccess) : BaseMachineStep(name)
    {
        public TaskCompletionSource? Started { get; init; }

        public override async Task<object?> ExecuteAsync(WorkflowContext context, CancellationToken cancellationToken)
        {
            Started?.TrySetResult();
            try
            {
                await release.WaitAsync(GraphTestKit.Patience, CancellationToken.None);
                return "l";
            }
            finally
            {
                returned.TrySetResult();
            }
        }

        public override Task OnSuccessAsync(WorkflowContext context, object? output, CancellationToken cancellationToken)
        {
            onSuccess();
            return Task.CompletedTask;
        }
    }
}
