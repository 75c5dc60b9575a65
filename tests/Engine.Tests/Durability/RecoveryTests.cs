using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Workflows.Engine.Tests.Support;
using Workflows.Persistence;

namespace Workflows.Engine.Tests.Durability;

/// <summary>
/// A process dies mid-run (its store stops committing); a new engine on what was committed resumes the run:
/// completed steps never run again, in-flight ones run again as a new attempt, the stream has no gap.
/// </summary>
public sealed class RecoveryTests
{
    private static readonly TimeSpan s_patience = TimeSpan.FromSeconds(10);

    public sealed record Item(int Index) : Event;

    public sealed record Done(int Index) : Event;

    /// <summary>Fan-out of ten; in the "dying" instance, items from <c>blockFrom</c> on never finish.</summary>
    public sealed class Fan(int blockFrom) : Workflow
    {
        private readonly TaskCompletionSource _never = new();

        public override string Name => "durable_fan";

        public ConcurrentDictionary<int, int> Executions { get; } = new();

        [Step, Emits(typeof(Item))]
        public void Start(StartEvent ev, IStepContext ctx)
        {
            for (var i = 0; i < 10; i++)
            {
                ctx.SendEvent(new Item(i));
            }
        }

        [Step(NumWorkers = 10)]
        public async Task<Done> Work(Item item)
        {
            Executions.AddOrUpdate(item.Index, 1, (_, n) => n + 1);
            if (item.Index >= blockFrom)
            {
                await _never.Task;
            }
            return new Done(item.Index);
        }

        [Step(NumWorkers = 1)]
        public StopEvent? Collect(Done done, IStepContext ctx) =>
            ctx.CollectEvents<Done>(done, 10) is { } all ? new StopEvent(all.Sum(d => d.Index)) : null;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + s_patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition was not reached in time");
            await Task.Delay(10);
        }
    }

    private static int Count(InMemoryRunStore store, string runId, string type, string step) =>
        store.ItemsOf(runId).Count(i => i.Type == type && JsonNode.Parse(i.Json)!["step"]!.GetValue<string>() == step);

    private static async Task<(LocalExecutionEngine Engine, WorkflowRegistry Registry)> EngineAsync(InMemoryRunStore store, params object[] workflows)
    {
        var registry = new WorkflowRegistry();
        foreach (var workflow in workflows)
        {
            switch (workflow)
            {
                case Workflow w:
                    registry.Register(w);
                    break;
                case WorkflowDefinition d:
                    registry.Register(d);
                    break;
            }
        }
        var engine = new LocalExecutionEngine(registry, store: store);
        await engine.InitializeAsync();
        return (engine, registry);
    }

    [Fact]
    public async Task EventDrivenRun_CrashMidFanOut_ResumesWithoutRerunningCompletedSteps()
    {
        // Arrange: items 0..2 finish before the crash, 3..9 are in flight. The start step's return is waited for too:
        // it reaches the loop after its ten sends, and a loaded machine may apply it after the third collect.
        var dying = new Fan(blockFrom: 3);
        var store = new InMemoryRunStore();
        var (before, _) = await EngineAsync(store, dying);
        var run = await before.StartWorkflowAsync("durable_fan");
        await WaitUntilAsync(() => Count(store, run.RunId, "step.completed", "collect") == 3 && Count(store, run.RunId, "step.started", "work") == 10
            && Count(store, run.RunId, "step.completed", "start") == 1);

        // Act
        var survivor = store.Crash();
        var resumed = new Fan(blockFrom: int.MaxValue);
        var (after, _) = await EngineAsync(survivor, resumed);
        var outcome = await after.FindRun(run.RunId)!.Outcome.WaitAsync(s_patience);

        // Assert
        Assert.Equal(RunStatus.Completed, outcome.Status);
        Assert.Equal(45, ((JsonElement?)JsonSerializer.SerializeToElement(outcome.Result))!.Value.GetInt32());
        Assert.Equal([3, 4, 5, 6, 7, 8, 9], resumed.Executions.Keys.Order());
        Assert.All(resumed.Executions.Values, n => Assert.Equal(1, n));
        var items = survivor.ItemsOf(run.RunId);
        Assert.Equal(Enumerable.Range(1, items.Count).Select(i => (long)i), items.Select(i => i.Sequence));
        Assert.Equal(7, items.Count(i => i.Type == "step.canceled" && i.Json.Contains("the engine restarted", StringComparison.Ordinal)));
        Assert.Equal(10, Count(survivor, run.RunId, "step.completed", "work"));
        Assert.Equal(10, Count(survivor, run.RunId, "step.completed", "collect"));
        Assert.Equal("run.completed", items[^1].Type);
        Assert.Equal(RunStatus.Completed, survivor.RunOf(run.RunId)!.Status);
    }

    /// <summary>The sender has returned: it has sent and written everything.</summary>
    public sealed record SenderDone : Event;

    /// <summary>
    /// The start step sends item 0, then (in the "dying" instance) never finishes; in the surviving one it sends item
    /// 1, waits until <c>collect</c> has taken item 1 in, then writes "sent 1" and returns <see cref="SenderDone"/>.
    /// <c>work</c> counts its executions per item; <c>collect</c> ends the run with both items once the sender has
    /// returned.
    /// </summary>
    /// <remarks>
    /// The first StopEvent ends the run and drops what a step still running writes afterwards (semantics.md): were
    /// the two items enough to end the run, it could end before the sender writes "sent 1" (the wait makes that
    /// certain; without it a loaded machine did so now and then). Collecting <see cref="SenderDone"/> too orders the
    /// end after the sender's last write, since a step's writes reach the loop before its result.
    /// </remarks>
    public sealed class SendThenStall(bool stall) : Workflow
    {
        private static readonly Type[] s_collected = [typeof(Done), typeof(Done), typeof(SenderDone)];
        private readonly TaskCompletionSource _never = new();
        private readonly TaskCompletionSource _item1Collected = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override string Name => "durable_send_then_stall";

        public ConcurrentDictionary<int, int> Executions { get; } = new();

        [Step, Emits(typeof(Item))]
        public async Task<SenderDone> Start(StartEvent ev, IStepContext ctx)
        {
            ctx.SendEvent(new Item(0));
            ctx.WriteEventToStream("sent 0");
            if (stall)
            {
                await _never.Task;
            }
            ctx.SendEvent(new Item(1));
            await _item1Collected.Task.WaitAsync(ctx.CancellationToken);
            ctx.WriteEventToStream("sent 1");
            return new SenderDone();
        }

        [Step(NumWorkers = 4)]
        public Done Work(Item item)
        {
            Executions.AddOrUpdate(item.Index, 1, (_, n) => n + 1);
            return new Done(item.Index);
        }

        [Step(NumWorkers = 1), Accepts(typeof(Done), typeof(SenderDone))]
        public StopEvent? Collect(Event ev, IStepContext ctx)
        {
            var all = ctx.CollectEvents(ev, s_collected);
            if (ev is Done { Index: 1 })
            {
                _item1Collected.TrySetResult();
            }
            return all is null ? null : new StopEvent(all.OfType<Done>().Select(d => d.Index).ToArray());
        }
    }

    [Fact]
    public async Task EventDrivenRun_CrashWhileASenderRuns_ItsSentEventsAreNotDeliveredTwice()
    {
        // Arrange: item 0 was sent and fully processed (committed) while its sender still ran.
        var store = new InMemoryRunStore();
        var (before, _) = await EngineAsync(store, new SendThenStall(stall: true));
        var run = await before.StartWorkflowAsync("durable_send_then_stall");
        await WaitUntilAsync(() => Count(store, run.RunId, "step.completed", "work") == 1);

        // Act: the sender runs again after the restart and sends item 0 again, then item 1, which is fully processed
        // before the sender writes "sent 1" and returns.
        var survivor = store.Crash();
        var resumed = new SendThenStall(stall: false);
        var (after, _) = await EngineAsync(survivor, resumed);
        var outcome = await after.FindRun(run.RunId)!.Outcome.WaitAsync(s_patience);

        // Assert: item 0 was not delivered again; the re-run's sends and writes after the interrupted attempt's ones were.
        Assert.Equal(RunStatus.Completed, outcome.Status);
        Assert.Equal([0, 1], JsonSerializer.SerializeToNode(outcome.Result)!.AsArray().Select(n => n!.GetValue<int>()));
        Assert.Equal([1], resumed.Executions.Keys);
        var items = survivor.ItemsOf(run.RunId);
        Assert.Equal(Enumerable.Range(1, items.Count).Select(i => (long)i), items.Select(i => i.Sequence));
        Assert.Equal(2, items.Count(i => i.Type == "event.emitted" && i.Json.Contains("\"eventType\":\"Item\"", StringComparison.Ordinal)));
        Assert.Equal(["\"sent 0\"", "\"sent 1\""], items.Where(i => i.Type == "stream").Select(i => JsonNode.Parse(i.Json)!["data"]!.ToJsonString()));
        Assert.Equal(2, Count(survivor, run.RunId, "step.completed", "work"));
        Assert.Equal(1, Count(survivor, run.RunId, "step.completed", "start"));
        Assert.Single(items, i => i.Type == "step.canceled" && i.Json.Contains("the engine restarted", StringComparison.Ordinal)
            && JsonNode.Parse(i.Json)!["step"]!.GetValue<string>() == "start");
    }

    /// <summary>
    /// Each item adds one to the state's <c>count</c>; item 0's attempt (in the "dying" instance) never returns after
    /// its addition. The run ends with the count.
    /// </summary>
    public sealed class AddThenStall(bool stall) : Workflow
    {
        private readonly TaskCompletionSource _never = new();

        public override string Name => "durable_add_then_stall";

        [Step, Emits(typeof(Item))]
        public void Start(StartEvent ev, IStepContext ctx)
        {
            ctx.SendEvent(new Item(0));
            ctx.SendEvent(new Item(1));
        }

        [Step(NumWorkers = 2)]
        public async Task<Done> Add(Item item, IStepContext ctx)
        {
            if (item.Index == 1)
            {
                await Task.Delay(50);
            }
            await ctx.Store.EditStateAsync(state =>
            {
                state.Set("count", state.Get<int>("count") + 1);
                return Task.CompletedTask;
            });
            if (stall && item.Index == 0)
            {
                await _never.Task;
            }
            return new Done(item.Index);
        }

        [Step(NumWorkers = 1)]
        public StopEvent? Collect(Done done, IStepContext ctx) =>
            ctx.CollectEvents<Done>(done, 2) is not null ? new StopEvent(ctx.Store.Get<int>("count")) : null;
    }

    [Fact]
    public async Task EventDrivenRun_CrashWhileAStepThatChangedTheStateRuns_ItsChangeIsNotAppliedTwice()
    {
        // Arrange: item 0's attempt has added its one and still runs; item 1's has added its one and returned.
        var store = new InMemoryRunStore();
        var (before, _) = await EngineAsync(store, new AddThenStall(stall: true));
        var run = await before.StartWorkflowAsync("durable_add_then_stall");
        await WaitUntilAsync(() => run.Store.Get<int>("count") == 2);
        await Task.Delay(200); // what the loop commits meanwhile is what the next process finds

        // Act: item 0's step runs again after the restart and adds its one again.
        var survivor = store.Crash();
        var (after, _) = await EngineAsync(survivor, new AddThenStall(stall: false));
        var outcome = await after.FindRun(run.RunId)!.Outcome.WaitAsync(s_patience);

        // Assert: as without the crash, each item added one.
        Assert.Equal(RunStatus.Completed, outcome.Status);
        Assert.Equal(2, JsonSerializer.SerializeToNode(outcome.Result)!.GetValue<int>());
        Assert.Equal(2, Count(survivor, run.RunId, "step.completed", "add"));
    }

    private static JsonObject ApprovalForm() =>
        JsonNode.Parse("""{"type":"object","required":["approved"],"properties":{"approved":{"type":"boolean"}}}""")!.AsObject();

    private static WorkflowDefinition Approval() => new()
    {
        Name = "durable_approval",
        InitialStep = "prepare",
        TerminalSteps = ["record"],
        Steps =
        [
            new MachineStep("prepare", ctx => ctx.Set("prepared", true)),
            new HumanStep("approve", "Approve?", ApprovalForm()) { Group = "managers" },
            new MachineStep("record", ctx => ctx.Set("recorded", ctx.Get<bool>("approve.approved"))),
        ],
        Edges = [new("prepare", "approve"), new("approve", "record")],
    };

    [Fact]
    public async Task WaitingRun_CrashWhileWaiting_TaskCanBeCompletedAfterRestart()
    {
        // Arrange
        var store = new InMemoryRunStore();
        var (before, _) = await EngineAsync(store, Approval());
        var run = await before.StartWorkflowAsync("durable_approval");
        await WaitUntilAsync(() => store.RunOf(run.RunId)?.Status == RunStatus.Waiting);

        // Act
        var survivor = store.Crash();
        var (after, _) = await EngineAsync(survivor, Approval());
        var task = Assert.Single(after.Tasks.List(new TaskQuery { RunId = run.RunId, Status = HumanTaskStatus.Pending }));
        await after.Tasks.CompleteAsync(task.Id, JsonNode.Parse("""{"approved":true}"""), new TaskCaller("ann", ["managers"]));
        var outcome = await after.FindRun(run.RunId)!.Outcome.WaitAsync(s_patience);

        // Assert
        Assert.Equal(RunStatus.Completed, outcome.Status);
        var context = (JsonObject)outcome.Result!;
        Assert.True(context["prepared"]!.GetValue<bool>());
        Assert.True(context["recorded"]!.GetValue<bool>());
        Assert.Equal(1, Count(survivor, run.RunId, "step.completed", "prepare"));
        var items = survivor.ItemsOf(run.RunId);
        Assert.Equal(Enumerable.Range(1, items.Count).Select(i => (long)i), items.Select(i => i.Sequence));
        Assert.Single(items, i => i.Type == "task.completed");
    }

    [Fact]
    public async Task Run_WorkflowNoLongerRegistered_IsMarkedFailedWithItsTasksCanceled()
    {
        // Arrange
        var store = new InMemoryRunStore();
        var (before, _) = await EngineAsync(store, Approval());
        var run = await before.StartWorkflowAsync("durable_approval");
        await WaitUntilAsync(() => store.RunOf(run.RunId)?.Status == RunStatus.Waiting);

        // Act: the new process registers nothing.
        var survivor = store.Crash();
        await EngineAsync(survivor);

        // Assert
        var row = survivor.RunOf(run.RunId)!;
        Assert.Equal(RunStatus.Failed, row.Status);
        Assert.Contains("durable_approval", row.ErrorJson, StringComparison.Ordinal);
        Assert.Contains("not registered", row.ErrorJson, StringComparison.Ordinal);
        Assert.Equal("run.failed", survivor.ItemsOf(run.RunId)[^1].Type);
        var stored = await survivor.GetRunAsync(run.RunId, CancellationToken.None);
        Assert.All(stored!.Tasks, t => Assert.Equal(HumanTaskStatus.Canceled, t.Status));
    }

    public sealed class Flaky : Workflow
    {
        public int Attempts;

        public override string Name => "durable_flaky";

        [Step]
        [Retry(2, InitialIntervalMs = 300, Backoff = BackoffKind.Fixed)]
        public StopEvent Call(StartEvent ev)
        {
            if (Interlocked.Increment(ref Attempts) == 1)
            {
                throw new TimeoutException("the service did not answer");
            }
            return new StopEvent("answered");
        }
    }

    [Fact]
    public async Task Run_CrashDuringRetryBackoff_NextAttemptRunsAfterRestart()
    {
        // Arrange: the first attempt fails; the crash comes while the backoff runs.
        var store = new InMemoryRunStore();
        var (before, _) = await EngineAsync(store, new Flaky());
        var run = await before.StartWorkflowAsync("durable_flaky");
        await WaitUntilAsync(() => store.ItemsOf(run.RunId).Any(i => i.Type == "step.retrying"));

        // Act
        var survivor = store.Crash();
        var resumed = new Flaky { Attempts = 1 };
        var (after, _) = await EngineAsync(survivor, resumed);
        var outcome = await after.FindRun(run.RunId)!.Outcome.WaitAsync(s_patience);

        // Assert
        Assert.Equal(RunStatus.Completed, outcome.Status);
        Assert.Equal(2, resumed.Attempts);
        var started = survivor.ItemsOf(run.RunId).Where(i => i.Type == "step.started").Select(i => JsonNode.Parse(i.Json)!["attempt"]!.GetValue<int>());
        Assert.Equal([1, 2], started);
    }

    [Fact]
    public async Task Restart_InboxStillListsTheTasksOfRunsThatEnded()
    {
        // Arrange: a run whose task was completed, and so ended, before the restart.
        var store = new InMemoryRunStore();
        var (before, _) = await EngineAsync(store, Approval());
        var run = await before.StartWorkflowAsync("durable_approval");
        await WaitUntilAsync(() => store.RunOf(run.RunId)?.Status == RunStatus.Waiting);
        var task = Assert.Single(before.Tasks.List(new TaskQuery { RunId = run.RunId }));
        await before.Tasks.CompleteAsync(task.Id, JsonNode.Parse("""{"approved":false}"""), new TaskCaller("ann", ["managers"]));
        await run.Outcome.WaitAsync(s_patience);

        // Act
        var (after, _) = await EngineAsync(store.Crash());

        // Assert
        var remembered = Assert.Single(after.Tasks.List(new TaskQuery { RunId = run.RunId }));
        Assert.Equal(HumanTaskStatus.Completed, remembered.Status);
        Assert.Equal("ann", remembered.CompletedBy);
        await Assert.ThrowsAsync<TaskConflictException>(() => after.Tasks.CompleteAsync(task.Id, JsonNode.Parse("""{"approved":true}"""), new TaskCaller("ann", ["managers"])));
    }

    [Fact]
    public async Task DurableStart_ReturnsOnlyAfterTheRunIsCommitted()
    {
        var store = new InMemoryRunStore();
        var (engine, _) = await EngineAsync(store, Approval());

        var run = await engine.StartWorkflowAsync("durable_approval");

        Assert.NotNull(store.RunOf(run.RunId));
        Assert.Equal("run.started", store.ItemsOf(run.RunId)[0].Type);
        Assert.Contains(store.Definitions, d => d.Name == "durable_approval" && d.ShapeHash.Length == 64);
    }
    /// <summary>
    /// A resumed run keeps its correlation id through its later commits (each writes the run row whole), so a start
    /// retried with that id after the restart finds it instead of starting the run a second time. Found by the crash
    /// harness: a start cut by a kill and sent again created a duplicate once its first run had been resumed.
    /// </summary>
    [Fact]
    public async Task ResumedRun_KeepsItsCorrelationId_SoARetriedStartFindsIt()
    {
        var dying = new Fan(blockFrom: 3);
        var store = new InMemoryRunStore();
        var (before, _) = await EngineAsync(store, dying);
        var run = await before.StartWorkflowAsync("durable_fan", correlationId: "order-42");
        await WaitUntilAsync(() => Count(store, run.RunId, "step.started", "work") == 10);

        var survivor = store.Crash();
        var (after, _) = await EngineAsync(survivor, new Fan(blockFrom: int.MaxValue));
        await after.FindRun(run.RunId)!.Outcome.WaitAsync(s_patience);
        var retried = await Assert.ThrowsAsync<DuplicateCorrelationException>(() => after.StartWorkflowAsync("durable_fan", correlationId: "order-42"));

        Assert.Equal(run.RunId, retried.ExistingRunId);
        Assert.Equal("order-42", survivor.RunOf(run.RunId)!.CorrelationId);
    }
}
