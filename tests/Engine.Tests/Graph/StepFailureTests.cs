using static Workflows.Engine.Tests.Graph.GraphTestKit;

namespace Workflows.Engine.Tests.Graph;

/// <summary>Graph rule "failure": a failing branch fails the run and cancels its siblings; timeouts and retries per step.</summary>
public sealed class StepFailureTests
{
    [Fact]
    public async Task BranchFailure_SiblingStillRunning_RunFailsSiblingCanceledOneTerminalItem()
    {
        // Arrange: "bad" fails only once "sibling" is running.
        var siblingStarted = new Latch();
        var siblingToken = new Latch();
        var definition = Definition("branch-fails",
            [
                Noop("start"),
                Step("bad", async (_, _) =>
                {
                    await siblingStarted.WaitAsync();
                    throw new InvalidOperationException("bad broke");
                }),
                Step("sibling", async (_, ct) =>
                {
                    using var registration = siblingToken.SetOn(ct);
                    siblingStarted.Set();
                    await Task.Delay(Timeout.Infinite, ct);
                    return null;
                }),
                Noop("join"),
            ],
            [new Edge("start", "bad"), new Edge("start", "sibling"), new Edge("bad", "join"), new Edge("sibling", "join")],
            "start", "join");

        // Act
        var (_, outcome, items) = await RunAsync(definition);
        await siblingToken.WaitAsync();

        // Assert
        Assert.Equal(RunStatus.Failed, outcome.Status);
        Assert.Equal(("bad", nameof(InvalidOperationException), "bad broke"), (outcome.Error!.Step, outcome.Error.Type, outcome.Error.Message));
        var failed = Assert.Single(items.Of<StepFailed>("bad"));
        var canceled = Assert.Single(items.Of<StepCanceled>("sibling"));
        var terminal = items.SingleTerminal<RunFailed>();
        Assert.Equal("bad", terminal.Error.Step);
        Assert.True(failed.Sequence < canceled.Sequence && canceled.Sequence < terminal.Sequence);
        Assert.Empty(items.Of<StepCompleted>("sibling"));
        Assert.Empty(items.Of<StepStarted>("join"));
    }

    [Fact]
    public async Task StepTimeout_AttemptOverruns_StepFailsWithStepTimeoutException()
    {
        // Arrange
        var tokenFired = new Latch();
        var slow = new MachineStep("slow", async (ctx, ct) =>
        {
            using var registration = tokenFired.SetOn(ct);
            await Task.Delay(Timeout.Infinite, ct);
            ctx.Set("late", true);
            return null;
        })
        { TimeoutSeconds = 0.1 };
        var definition = Definition("step-timeout", [Noop("start"), slow, Noop("end")],
            [new Edge("start", "slow"), new Edge("slow", "end")], "start", "end");

        // Act
        var (_, outcome, items) = await RunAsync(definition);
        await tokenFired.WaitAsync();

        // Assert
        Assert.Equal(RunStatus.Failed, outcome.Status);
        Assert.Equal("slow", outcome.Error!.Step);
        Assert.Equal(nameof(StepTimeoutException), outcome.Error.Type);
        var timeout = Assert.IsType<StepTimeoutException>(outcome.Error.Exception);
        Assert.Equal(("slow", TimeSpan.FromSeconds(0.1)), (timeout.Step, timeout.Timeout));
        Assert.Equal(nameof(StepTimeoutException), Assert.Single(items.Of<StepFailed>("slow")).Error.Type);
        Assert.Empty(items.Of<StepStarted>("end"));
        items.SingleTerminal<RunFailed>();
    }

    [Fact]
    public async Task Retry_FailsTwiceThenSucceeds_EachAttemptRecorded()
    {
        // Arrange
        var attempts = 0;
        var flaky = new MachineStep("flaky", (ctx, _) =>
        {
            var attempt = Interlocked.Increment(ref attempts);
            if (attempt < 3)
            {
                throw new InvalidOperationException($"attempt {attempt} failed");
            }
            ctx.Set("attempts", attempt);
            return Task.FromResult<object?>("ok");
        })
        {
            Retry = new RetryPolicy { MaximumAttempts = 3, InitialInterval = TimeSpan.FromMilliseconds(1), Backoff = BackoffKind.Fixed },
        };
        var definition = Definition("retry", [Noop("start"), flaky, Noop("end")],
            [new Edge("start", "flaky"), new Edge("flaky", "end")], "start", "end");

        // Act
        var (_, outcome, items) = await RunAsync(definition);

        // Assert
        outcome.AssertCompleted();
        Assert.Equal(3, outcome.Context()["attempts"]!.GetValue<int>());
        var trail = items.OfType<StepItem>().Where(i => i.Step == "flaky").Select(i => (i.Type, i.Attempt)).ToArray();
        Assert.Equal(
            [
                (RunItemTypes.StepStarted, 1), (RunItemTypes.StepRetrying, 1),
                (RunItemTypes.StepStarted, 2), (RunItemTypes.StepRetrying, 2),
                (RunItemTypes.StepStarted, 3), (RunItemTypes.StepCompleted, 3),
            ],
            trail);
        var retries = items.Of<StepRetrying>("flaky");
        Assert.Equal(["attempt 1 failed", "attempt 2 failed"], retries.Select(r => r.Error.Message));
        Assert.Single(items.Of<StepStarted>("end"));
    }

    [Fact]
    public async Task Retry_EveryAttemptFails_RunFailsAfterLastAttempt()
    {
        // Arrange
        var broken = new MachineStep("broken", (_, _) => throw new InvalidOperationException("always"))
        {
            Retry = new RetryPolicy { MaximumAttempts = 2, InitialInterval = TimeSpan.FromMilliseconds(1) },
        };
        var definition = Definition("retry-exhausted", [broken], [], "broken", "broken");

        // Act
        var (_, outcome, items) = await RunAsync(definition);

        // Assert
        Assert.Equal(RunStatus.Failed, outcome.Status);
        Assert.Equal("broken", outcome.Error!.Step);
        var trail = items.OfType<StepItem>().Select(i => (i.Type, i.Attempt)).ToArray();
        Assert.Equal([(RunItemTypes.StepStarted, 1), (RunItemTypes.StepRetrying, 1), (RunItemTypes.StepStarted, 2), (RunItemTypes.StepFailed, 2)], trail);
        items.SingleTerminal<RunFailed>();
    }
}
