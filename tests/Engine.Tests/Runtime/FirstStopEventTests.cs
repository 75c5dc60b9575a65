using Workflows.Engine.Tests.Support;

namespace Workflows.Engine.Tests.Runtime;

/// <summary>The first StopEvent ends the run: in-flight workers are cancelled, queued events dropped, later writes never appear.</summary>
public sealed class FirstStopEventTests
{
    private sealed record Go : Event;

    private sealed record Late : Event;

    private sealed record Slow(int N) : Event;

    private sealed class RaceWorkflow : Workflow
    {
        public Signal LoserStarted { get; } = new();

        public Signal LoserCanceled { get; } = new();

        public Signal LoserFinished { get; } = new();

        [Step]
        public Go Begin(StartEvent ev) => new();

        [Step]
        public async Task<StopEvent> Winner(Go ev)
        {
            await LoserStarted.WaitAsync();
            return new StopEvent("winner");
        }

        [Step, Emits(typeof(Late))]
        public async Task<StopEvent> Loser(Go ev, IStepContext ctx)
        {
            try
            {
                using (LoserCanceled.SetOn(ctx.CancellationToken))
                {
                    LoserStarted.Set();
                    await LoserCanceled.WaitAsync();
                }
                // The run is over: none of this may reach the stream or any step.
                ctx.WriteEventToStream("late write");
                ctx.SendEvent(new Late());
                return new StopEvent("loser");
            }
            finally
            {
                LoserFinished.Set();
            }
        }

        [Step]
        public StopEvent Absorb(Late ev) => new("late");
    }

    [Fact]
    public async Task FirstStop_TwoStepsRacing_WinnerEndsRunAndLoserIsCancelledAndSilenced()
    {
        // Arrange
        var workflow = new RaceWorkflow();

        // Act
        var run = await workflow.StartAsync();
        var outcome = await run.Outcome.WaitAsync(TimeSpan.FromSeconds(10));
        await workflow.LoserCanceled.WaitAsync();
        await workflow.LoserFinished.WaitAsync();
        var items = await run.ReadToEndAsync();

        // Assert
        Assert.Equal(RunStatus.Completed, outcome.Status);
        Assert.Equal("winner", outcome.Result);
        Assert.Equal("winner", await run);
        var completed = items.SingleTerminalLast<RunCompleted>();
        Assert.Equal("winner", completed.Result);
        Assert.Equal(RunItemTypes.RunCompleted, items[^1].Type);
        Assert.Empty(items.OfType<StreamWritten>());
        Assert.DoesNotContain(items.OfType<EventEmitted>(), e => e.EventType == nameof(Late));
        Assert.Empty(items.OfStep("absorb"));
        Assert.DoesNotContain(items.OfStep("loser"), i => i is StepCompleted or StepFailed);
        Assert.Single(items.OfType<EventEmitted>(), e => e.Event is StopEvent);
        Assert.Equal(items.Count, run.Items.Count);
    }

    private sealed class QueuedWorkflow : Workflow
    {
        public Signal FirstSlowStarted { get; } = new();

        [Step, Emits(typeof(Slow))]
        public Go Begin(StartEvent ev, IStepContext ctx)
        {
            for (var i = 0; i < 3; i++)
            {
                ctx.SendEvent(new Slow(i));
            }
            return new Go();
        }

        [Step(NumWorkers = 1)]
        public async Task<StopEvent> SlowStep(Slow ev, CancellationToken cancellationToken)
        {
            FirstSlowStarted.Set();
            await Task.Delay(System.Threading.Timeout.Infinite, cancellationToken);
            return new StopEvent("slow");
        }

        [Step]
        public async Task<StopEvent> Stopper(Go ev)
        {
            await FirstSlowStarted.WaitAsync();
            return new StopEvent("stopper");
        }
    }

    [Fact]
    public async Task FirstStop_EventsQueuedForBusyStep_AreDropped()
    {
        // Arrange
        var workflow = new QueuedWorkflow();

        // Act
        var run = await workflow.StartAsync();
        var outcome = await run.Outcome.WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.Equal("stopper", outcome.Result);
        var items = await run.ReadToEndAsync();
        Assert.Single(items.OfStep("slow_step").OfType<StepStarted>());
        items.SingleTerminalLast<RunCompleted>();
    }

    private sealed class NeverLooksAtItsToken : Workflow
    {
        public IStepContext? Context { get; private set; }

        [Step]
        public StopEvent Only(StartEvent ev, IStepContext ctx)
        {
            Context = ctx; // keeps the context, reads no token: the run's token is made only when asked for
            return new StopEvent("done");
        }
    }

    [Fact]
    public async Task TokenAskedForOnlyAfterTheRunEnded_IsAlreadyCanceled()
    {
        var workflow = new NeverLooksAtItsToken();
        var run = await Tasks.TaskTestKit.NewEngine(workflow).StartWorkflowAsync(workflow.Name);
        await run.Outcome.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(workflow.Context!.CancellationToken.IsCancellationRequested);
    }
}
