using System.Collections.Concurrent;
using static Workflows.Engine.Tests.Graph.GraphTestKit;

namespace Workflows.Engine.Tests.Graph;

/// <summary>BaseMachineStep's guard and hooks: CanExecute false skips the step; OnSuccess/OnFailure run once, at the right time.</summary>
public sealed class StepHooksTests
{
    /// <summary>A step whose attempts fail until <c>succeedOn</c>, recording every call it receives.</summary>
    private sealed class RecordingStep(string name, int succeedOn, Func<CancellationToken, Task>? work = null) : BaseMachineStep(name)
    {
        private int _attempts;

        public ConcurrentQueue<string> Calls { get; } = new();

        public List<(int AttemptsSoFar, Exception Error)> Failures { get; } = [];

        public object? SuccessOutput { get; private set; }

        public override async Task<object?> ExecuteAsync(WorkflowContext context, CancellationToken cancellationToken)
        {
            var attempt = Interlocked.Increment(ref _attempts);
            Calls.Enqueue($"execute {attempt}");
            if (work is not null)
            {
                await work(cancellationToken);
            }
            if (attempt < succeedOn)
            {
                throw new InvalidOperationException($"attempt {attempt} failed");
            }
            return $"output {attempt}";
        }

        public override Task OnSuccessAsync(WorkflowContext context, object? output, CancellationToken cancellationToken)
        {
            Calls.Enqueue("success");
            SuccessOutput = output;
            context.Set("hooked", output);
            return Task.CompletedTask;
        }

        public override Task OnFailureAsync(WorkflowContext context, Exception error, CancellationToken cancellationToken)
        {
            Calls.Enqueue("failure");
            lock (Failures)
            {
                Failures.Add((Volatile.Read(ref _attempts), error));
            }
            return Task.CompletedTask;
        }
    }

    private static readonly RetryPolicy s_threeQuickAttempts =
        new() { MaximumAttempts = 3, InitialInterval = TimeSpan.FromMilliseconds(1), Backoff = BackoffKind.Fixed };

    [Fact]
    public async Task Guard_CanExecuteFalse_StepSkippedAndFlowContinues()
    {
        // Arrange
        var executed = false;
        var guarded = new MachineStep("guarded", (ctx, _) =>
        {
            executed = true;
            return Task.FromResult<object?>(null);
        }, canExecute: ctx => ctx.Get<bool>("enabled"));
        var definition = Definition("guard", [Noop("start"), guarded, Noop("next"), Noop("end")],
            [new Edge("start", "guarded"), new Edge("guarded", "next"), new Edge("next", "end")], "start", "end");

        // Act
        var (_, outcome, items) = await RunAsync(definition, new { enabled = false });

        // Assert
        outcome.AssertCompleted();
        Assert.False(executed);
        var skipped = Assert.Single(items.Of<StepSkipped>("guarded"));
        Assert.Empty(items.Of<StepCompleted>("guarded"));
        Assert.Equal(RunItemTypes.StepSkipped, skipped.Type);
        Assert.Equal(["start", "guarded", "next", "end"], items.StartedSteps());
        Assert.True(items.SingleSeq<StepStarted>("next") > skipped.Sequence);
    }

    [Fact]
    public async Task Guard_CanExecuteTrue_StepRuns()
    {
        var executed = false;
        var guarded = new MachineStep("guarded", (_, _) =>
        {
            executed = true;
            return Task.FromResult<object?>(null);
        }, canExecute: ctx => ctx.Get<bool>("enabled"));
        var definition = Definition("guard-open", [guarded, Noop("end")], [new Edge("guarded", "end")], "guarded", "end");

        var (_, outcome, items) = await RunAsync(definition, new { enabled = true });

        outcome.AssertCompleted();
        Assert.True(executed);
        Assert.Empty(items.Of<StepSkipped>("guarded"));
        Assert.Single(items.Of<StepCompleted>("guarded"));
    }

    [Fact]
    public async Task Hooks_SuccessAfterRetries_OnSuccessOnceWithOutputAndNoOnFailure()
    {
        // Arrange
        var step = new RecordingStep("work", succeedOn: 3) { Retry = s_threeQuickAttempts };
        var definition = Definition("hooks-success", [step, Noop("end")], [new Edge("work", "end")], "work", "end");

        // Act
        var (_, outcome, _) = await RunAsync(definition);

        // Assert
        outcome.AssertCompleted();
        Assert.Equal(["execute 1", "execute 2", "execute 3", "success"], step.Calls);
        Assert.Equal("output 3", step.SuccessOutput);
        Assert.Equal("output 3", outcome.Context()["hooked"]!.GetValue<string>());
    }

    [Fact]
    public async Task Hooks_EveryAttemptFails_OnFailureOnceAfterTheLastAttempt()
    {
        // Arrange
        var step = new RecordingStep("work", succeedOn: int.MaxValue) { Retry = s_threeQuickAttempts };
        var definition = Definition("hooks-failure", [step, Noop("end")], [new Edge("work", "end")], "work", "end");

        // Act
        var (_, outcome, items) = await RunAsync(definition);

        // Assert
        Assert.Equal(RunStatus.Failed, outcome.Status);
        Assert.Equal(["execute 1", "execute 2", "execute 3", "failure"], step.Calls);
        var (attemptsSoFar, error) = Assert.Single(step.Failures);
        Assert.Equal(3, attemptsSoFar);
        Assert.Equal("attempt 3 failed", error.Message);
        Assert.Equal(3, Assert.Single(items.Of<StepFailed>("work")).Attempt);
    }

    [Fact]
    public async Task Hooks_NoRetryPolicy_OnFailureCalledOnce()
    {
        var step = new RecordingStep("work", succeedOn: 2);
        var definition = Definition("hooks-once", [step], [], "work", "work");

        var (_, outcome, _) = await RunAsync(definition);

        Assert.Equal(RunStatus.Failed, outcome.Status);
        Assert.Equal(["execute 1", "failure"], step.Calls);
    }

    [Fact]
    public async Task Hooks_EveryAttemptTimesOut_OnFailureOnceAfterTheLastAttemptWithTheTimeout()
    {
        // Arrange: each attempt honours its token and overruns its 0.1 s bound; two attempts are allowed.
        var step = new RecordingStep("work", succeedOn: 1, work: ct => Task.Delay(Timeout.Infinite, ct))
        {
            TimeoutSeconds = 0.1,
            Retry = new RetryPolicy { MaximumAttempts = 2, InitialInterval = TimeSpan.FromMilliseconds(1) },
        };
        var definition = Definition("hooks-timeout", [step], [], "work", "work");

        // Act
        var (run, outcome, items) = await RunAsync(definition);

        // Assert
        Assert.Equal(RunStatus.Failed, outcome.Status);
        Assert.Equal(nameof(StepTimeoutException), outcome.Error!.Type);
        Assert.Equal([(RunItemTypes.StepStarted, 1), (RunItemTypes.StepRetrying, 1), (RunItemTypes.StepStarted, 2), (RunItemTypes.StepFailed, 2)],
            items.OfType<StepItem>().Select(i => (i.Type, i.Attempt)));
        // The hook runs before the failure propagates, so it has run by the time the run has failed.
        var (attemptsSoFar, error) = Assert.Single(step.Failures);
        Assert.Equal(2, attemptsSoFar);
        Assert.IsType<StepTimeoutException>(error);
        Assert.Equal(RunStatus.Failed, run.Status);
    }
}
