using System.Text.Json.Nodes;
using Workflows.Engine.Tests.Support;

namespace Workflows.Engine.Tests.Hosting;

/// <summary>
/// <see cref="LocalExecutionEngine.RunStatusChanged"/>: the status each pass leaves a run in, once per change, after
/// the items that went with it are published; in memory and with a store (after the commit).
/// </summary>
public sealed class RunStatusChangedTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RunStatusChanged_ApprovalThenSlowStep_ReportsWaitingRunningCompleted_AfterTheirItems(bool durable)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var registry = new WorkflowRegistry();
        registry.Register(GatedApproval(gate));
        var store = durable ? new InMemoryRunStore() : null;
        await using var engine = new LocalExecutionEngine(registry, store: store);
        await engine.InitializeAsync();
        var changes = new List<(RunStatusChange Change, long PublishedUpTo)>();
        var reported = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        engine.RunStatusChanged += change =>
        {
            lock (changes)
            {
                // What the run's stream shows at the moment of the report.
                changes.Add((change, engine.FindRun(change.RunId)?.Items.Last?.Sequence ?? 0));
                if (change.Status == RunStatus.Running)
                {
                    reported.TrySetResult();
                }
            }
        };

        var run = await engine.StartWorkflowAsync("gated");
        await WaitForAsync(run, RunItemTypes.RunWaiting);
        var task = Assert.Single(engine.Tasks.List(new TaskQuery { RunId = run.RunId }));
        await engine.Tasks.CompleteAsync(task.Id, new JsonObject { ["approved"] = true }, new TaskCaller("ann"));
        await reported.Task.WaitAsync(TimeSpan.FromSeconds(20));
        gate.SetResult();
        await run.Outcome.WaitAsync(TimeSpan.FromSeconds(20));

        lock (changes)
        {
            Assert.Equal([RunStatus.Waiting, RunStatus.Running, RunStatus.Completed], changes.Select(c => c.Change.Status));
            Assert.Equal([null, RunStatus.Waiting, RunStatus.Running], changes.Select(c => c.Change.Previous));
            Assert.Equal([RunItemTypes.RunWaiting, RunItemTypes.StepStarted, RunItemTypes.RunCompleted], changes.Select(c => c.Change.Item));
            Assert.All(changes, c => Assert.Equal(("gated", "1.0.0", run.RunId), (c.Change.Workflow, c.Change.Version, c.Change.RunId)));
            // Never ahead of the stream: the item named is published when the change is reported.
            Assert.All(changes, c => Assert.True(c.PublishedUpTo >= c.Change.Sequence));
            var items = run.Items.Snapshot();
            Assert.All(changes, c => Assert.Equal(c.Change.Timestamp, items.Single(i => i.Sequence == c.Change.Sequence).Timestamp));
        }
    }

    [Fact]
    public async Task RunStatusChanged_AfterUnsubscribing_IsNotRaised()
    {
        var registry = new WorkflowRegistry();
        registry.Register(new WorkflowDefinition
        {
            Name = "quick",
            Steps = [new MachineStep("only", context => context.Set("done", true))],
            InitialStep = "only",
            TerminalSteps = ["only"],
        });
        await using var engine = new LocalExecutionEngine(registry);
        var seen = 0;
        void Count(RunStatusChange change) => Interlocked.Increment(ref seen);
        engine.RunStatusChanged += Count;
        await (await engine.StartWorkflowAsync("quick")).Outcome;
        var afterFirst = Volatile.Read(ref seen);
        engine.RunStatusChanged -= Count;

        await (await engine.StartWorkflowAsync("quick")).Outcome;

        Assert.True(afterFirst >= 2); // running (or straight to completed in one pass) and completed
        Assert.Equal(afterFirst, Volatile.Read(ref seen));
    }

    private static async Task WaitForAsync(RunHandle run, string type)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await foreach (var item in run.ReadItemsAsync(cancellationToken: timeout.Token))
        {
            if (item.Type == type)
            {
                return;
            }
        }
    }

    /// <summary>A person approves, then a step runs until <paramref name="gate"/> opens.</summary>
    private static WorkflowDefinition GatedApproval(TaskCompletionSource gate) => new()
    {
        Name = "gated",
        Steps =
        [
            new HumanStep("approve", "Approve", new JsonObject { ["type"] = "object" }),
            new MachineStep("work", async (context, cancellationToken) =>
            {
                await gate.Task.WaitAsync(cancellationToken);
                return null;
            }),
        ],
        Edges = [new Edge("approve", "work")],
        InitialStep = "approve",
        TerminalSteps = ["work"],
    };
}
