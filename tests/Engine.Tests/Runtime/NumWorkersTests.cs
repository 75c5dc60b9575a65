using System.Collections.Concurrent;
using Workflows.Engine.Tests.Support;

namespace Workflows.Engine.Tests.Runtime;

/// <summary>num_workers: at most N invocations of a step run at once, each in a slot 0..N-1; default 4.</summary>
public sealed class NumWorkersTests
{
    private sealed record Job(int N) : Event;

    private sealed record JobDone(int N) : Event;

    /// <summary>Fans out <c>jobs</c> events to a step whose invocations all wait at a gate for <c>gateSize</c> arrivals.</summary>
    private sealed class CappedWorkflow(int jobs, ArrivalGate gate) : Workflow
    {
        public ConcurrentBag<int> WorkersSeen { get; } = [];

        [Step, Emits(typeof(Job))]
        public void Fan(StartEvent ev, IStepContext ctx)
        {
            for (var i = 0; i < jobs; i++)
            {
                ctx.SendEvent(new Job(i));
            }
        }

        [Step(NumWorkers = 3)]
        public async Task<JobDone> Capped(Job ev, IStepContext ctx)
        {
            WorkersSeen.Add(ctx.Worker);
            await gate.ArriveAndWaitAsync();
            return new JobDone(ev.N);
        }

        [Step]
        public StopEvent? Gather(JobDone ev, IStepContext ctx) =>
            ctx.CollectEvents<JobDone>(ev, jobs) is { } all ? new StopEvent(all.Count) : null;
    }

    private sealed class DefaultWorkersWorkflow(int jobs, ArrivalGate gate) : Workflow
    {
        [Step, Emits(typeof(Job))]
        public void Fan(StartEvent ev, IStepContext ctx)
        {
            for (var i = 0; i < jobs; i++)
            {
                ctx.SendEvent(new Job(i));
            }
        }

        [Step]
        public async Task<JobDone> Uncapped(Job ev)
        {
            await gate.ArriveAndWaitAsync();
            return new JobDone(ev.N);
        }

        [Step]
        public StopEvent? Gather(JobDone ev, IStepContext ctx) =>
            ctx.CollectEvents<JobDone>(ev, jobs) is { } all ? new StopEvent(all.Count) : null;
    }

    [Fact]
    public async Task NumWorkers_ThreeWithSevenEvents_ExactlyThreeRunAtOnce()
    {
        // Arrange: every invocation waits until 3 are inside, so the run can only finish if 3 really ran at once.
        var gate = new ArrivalGate(3);
        var workflow = new CappedWorkflow(jobs: 7, gate);

        // Act
        var run = await workflow.StartAsync();
        var outcome = await run.Outcome.WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.Equal(RunStatus.Completed, outcome.Status);
        Assert.Equal(7, outcome.Result);
        var items = run.Items.Snapshot();
        Assert.Equal(7, items.OfType<StepStarted>().Count(s => s.Step == "capped"));
        Assert.Equal(3, items.MaxConcurrent("capped"));
        Assert.All(items.OfStep("capped"), i => Assert.InRange(i.Worker, 0, 2));
        Assert.All(workflow.WorkersSeen, w => Assert.InRange(w, 0, 2));
    }

    [Fact]
    public async Task NumWorkers_Default_FourRunAtOnce()
    {
        // Arrange
        var gate = new ArrivalGate(4);
        var workflow = new DefaultWorkersWorkflow(jobs: 6, gate);

        // Act
        var run = await workflow.StartAsync();
        var outcome = await run.Outcome.WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.Equal(RunStatus.Completed, outcome.Status);
        var items = run.Items.Snapshot();
        Assert.Equal(4, items.MaxConcurrent("uncapped"));
        Assert.All(items.OfStep("uncapped"), i => Assert.InRange(i.Worker, 0, 3));
    }

    [Fact]
    public void NumWorkers_NotSet_DefaultsToFour()
    {
        // Arrange
        var workflow = new DefaultWorkersWorkflow(jobs: 1, new ArrivalGate(1));

        // Act
        var model = workflow.GetModel();

        // Assert
        Assert.Equal(4, new StepAttribute().NumWorkers);
        Assert.Equal(4, StepOptions.Default.NumWorkers);
        Assert.Equal(4, model.FindStep("uncapped")!.Options.NumWorkers);
        Assert.Equal(3, new CappedWorkflow(1, new ArrivalGate(1)).GetModel().FindStep("capped")!.Options.NumWorkers);
    }
}
