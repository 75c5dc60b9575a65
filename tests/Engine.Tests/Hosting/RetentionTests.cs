namespace Workflows.Engine.Tests.Hosting;

/// <summary>What a run the engine retains after its end still holds (retained runs outlive many GCs: less is cheaper).</summary>
public sealed class RetentionTests
{
    private static readonly TimeSpan s_patience = TimeSpan.FromSeconds(10);

    private sealed class RemembersItsContext : Workflow
    {
        public WeakReference? LastContext { get; private set; }

        public override string Name => "remembers_its_context";

        [Step]
        public StopEvent Finish(StartEvent ev, IStepContext ctx)
        {
            LastContext = new WeakReference(ctx);
            return new StopEvent("done");
        }
    }

    [Fact]
    public async Task EndedRun_StaysFindable_ButLetsGoOfTheStepThatEndedIt()
    {
        var workflow = new RemembersItsContext();
        var engine = Tasks.TaskTestKit.NewEngine(workflow);

        var run = await engine.StartWorkflowAsync("remembers_its_context");
        await run.Outcome.WaitAsync(s_patience);

        // The run settles right after its outcome is set, on the loop's thread: collect until the step's context is gone.
        var released = SpinWait.SpinUntil(() =>
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            return !workflow.LastContext!.IsAlive;
        }, s_patience);
        Assert.True(released, "the retained run still holds the invocation that ended it (its worker slot)");
        var found = engine.FindRun(run.RunId);
        Assert.NotNull(found);
        Assert.Equal(RunStatus.Completed, found.Status);
        Assert.Equal("done", (await engine.GetRunAsync(run.RunId))!.Result!.GetValue<string>());
    }
}
