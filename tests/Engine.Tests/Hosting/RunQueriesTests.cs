using System.Text.Json.Nodes;
using Workflows.Engine.Tests.Support;

namespace Workflows.Engine.Tests.Hosting;

/// <summary>The read side of the engine, in memory and durable: one run, the run list, a run's frames.</summary>
public sealed class RunQueriesTests
{
    private static readonly TimeSpan s_patience = TimeSpan.FromSeconds(10);

    private sealed class Counter : Workflow
    {
        public override string Name => "counter";

        [Step]
        [Retry(2, InitialIntervalMs = 1, Backoff = BackoffKind.Fixed)]
        public StopEvent Count(StartEvent ev, IStepContext ctx)
        {
            ctx.Store.Set("seen", ev.Get<int>("n"));
            if (ctx.Attempt == 1 && ev.Get<bool>("flaky"))
            {
                throw new InvalidOperationException("first attempt fails");
            }
            return new StopEvent(ev.Get<int>("n") * 2);
        }
    }

    public static TheoryData<bool> Durability => new() { false, true };

    private static async Task<LocalExecutionEngine> EngineAsync(bool durable, int retained = 10_000)
    {
        var registry = new WorkflowRegistry();
        registry.Register(new Counter());
        var engine = new LocalExecutionEngine(registry, Microsoft.Extensions.Options.Options.Create(new EngineOptions { RetainedRuns = retained }),
            store: durable ? new InMemoryRunStore() : null);
        await engine.InitializeAsync();
        return engine;
    }

    [Theory]
    [MemberData(nameof(Durability))]
    public async Task GetRun_AfterTheEnd_ShowsInputStateResultAndEveryAttempt(bool durable)
    {
        var engine = await EngineAsync(durable);
        var run = await engine.StartWorkflowAsync("counter", new { n = 21, flaky = true });
        await run.Outcome.WaitAsync(s_patience);

        var details = (await engine.GetRunAsync(run.RunId))!;

        Assert.Equal(RunStatus.Completed, details.Summary.Status);
        Assert.NotNull(details.Summary.EndedAt);
        Assert.Equal(21, details.Input["n"]!.GetValue<int>());
        Assert.Equal(42, details.Result!.GetValue<int>());
        Assert.Equal(21, details.State["seen"]!.GetValue<int>());
        Assert.Equal([("retrying", 1), ("completed", 2)], details.Steps.Select(s => (s.Status, s.Attempt)));
        Assert.Equal("InvalidOperationException", details.Steps[0].Error!.Type);
        Assert.Empty(details.OpenTasks);
        Assert.Null(await engine.GetRunAsync("no-such-run"));
    }

    [Theory]
    [MemberData(nameof(Durability))]
    public async Task ListRuns_PagesNewestFirstWithFilters(bool durable)
    {
        var engine = await EngineAsync(durable);
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var run = await engine.StartWorkflowAsync("counter", new { n = i });
            await run.Outcome.WaitAsync(s_patience);
            ids.Add(run.RunId);
        }

        var first = await engine.ListRunsAsync(new RunListQuery { Limit = 2 });
        var second = await engine.ListRunsAsync(new RunListQuery { Limit = 2, After = first.NextCursor });
        var third = await engine.ListRunsAsync(new RunListQuery { Limit = 2, After = second.NextCursor });
        var none = await engine.ListRunsAsync(new RunListQuery { Status = RunStatus.Failed });

        var newestFirst = Enumerable.Reverse(ids).ToArray();
        Assert.Equal(newestFirst, first.Items.Concat(second.Items).Concat(third.Items).Select(r => r.Id));
        Assert.Null(third.NextCursor);
        Assert.Empty(none.Items);
    }

    [Theory]
    [MemberData(nameof(Durability))]
    public async Task ReadRunFrames_FromACursor_GivesTheRestWithNoGap(bool durable)
    {
        var engine = await EngineAsync(durable);
        var run = await engine.StartWorkflowAsync("counter", new { n = 1 });
        await run.Outcome.WaitAsync(s_patience);

        var all = await Collect((await engine.ReadRunFramesAsync(run.RunId, 0))!);
        var rest = await Collect((await engine.ReadRunFramesAsync(run.RunId, 2))!);

        Assert.Equal(Enumerable.Range(1, all.Count).Select(i => (long)i), all.Select(f => f.Sequence));
        Assert.Equal(all.Skip(2).Select(f => f.Sequence), rest.Select(f => f.Sequence));
        Assert.Equal("run.completed", all[^1].Type);
        Assert.Contains("\"runId\"", all[0].Json, StringComparison.Ordinal);
        Assert.Null(await engine.ReadRunFramesAsync("no-such-run", 0));
    }

    [Fact]
    public async Task InMemory_RetainsAtMostTheConfiguredEndedRuns()
    {
        var engine = await EngineAsync(durable: false, retained: 2);
        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var run = await engine.StartWorkflowAsync("counter", new { n = i });
            await run.Outcome.WaitAsync(s_patience);
            ids.Add(run.RunId);
        }

        Assert.Null(await engine.GetRunAsync(ids[0]));
        Assert.NotNull(await engine.GetRunAsync(ids[3]));
    }

    [Theory]
    [MemberData(nameof(Durability))]
    public async Task CountRuns_EachRunByItsStatus_FilteredByWorkflow(bool durable)
    {
        var registry = new WorkflowRegistry();
        registry.Register(new Counter());
        registry.Register(new AwaitsPayment());
        registry.Register(new Breaks());
        var engine = new LocalExecutionEngine(registry, store: durable ? new InMemoryRunStore() : null);
        await engine.InitializeAsync();
        var empty = await engine.CountRunsAsync();

        foreach (var n in new[] { 1, 2 })
        {
            await (await engine.StartWorkflowAsync("counter", new { n })).Outcome.WaitAsync(s_patience);
        }
        await (await engine.StartWorkflowAsync("breaks")).Outcome.WaitAsync(s_patience);
        var canceled = await engine.StartWorkflowAsync("awaits_payment");
        await WaitForAsync(canceled, RunItemTypes.RunWaiting);
        canceled.Cancel("no longer needed");
        await canceled.Outcome.WaitAsync(s_patience);
        await WaitForAsync(await engine.StartWorkflowAsync("awaits_payment"), RunItemTypes.RunWaiting);

        var all = await engine.CountRunsAsync();
        var payments = await engine.CountRunsAsync("awaits_payment");
        var unknown = await engine.CountRunsAsync("no_such_workflow");

        Assert.Equal(0, empty.Total);
        Assert.Equal(Enum.GetValues<RunStatus>(), all.ByStatus.Keys);
        Assert.Equal([0, 0, 1, 2, 1, 1, 0], all.ByStatus.Values);
        Assert.Equal(5, all.Total);
        Assert.Equal([0, 0, 1, 0, 0, 1, 0], payments.ByStatus.Values);
        Assert.Equal(0, unknown.Total);
    }

    [Fact]
    public async Task CountRuns_InMemory_CountsTheRetainedRuns_UnfinishedOnesAlways()
    {
        var registry = new WorkflowRegistry();
        registry.Register(new Counter());
        registry.Register(new AwaitsPayment());
        var engine = new LocalExecutionEngine(registry, Microsoft.Extensions.Options.Options.Create(new EngineOptions { RetainedRuns = 2 }));
        await engine.InitializeAsync();
        var waiting = await engine.StartWorkflowAsync("awaits_payment");
        await WaitForAsync(waiting, RunItemTypes.RunWaiting);
        for (var n = 0; n < 4; n++)
        {
            await (await engine.StartWorkflowAsync("counter", new { n })).Outcome.WaitAsync(s_patience);
        }

        var counts = await engine.CountRunsAsync();

        // Four runs completed, but only the newest ended one is still retained beside the waiting run.
        Assert.Equal(1, counts[RunStatus.Waiting]);
        Assert.Equal(1, counts[RunStatus.Completed]);
        Assert.Equal(2, counts.Total);
        waiting.Cancel("test over");
    }

    private static async Task WaitForAsync(RunHandle run, string itemType)
    {
        await foreach (var item in run.ReadItemsAsync().WithCancellation(new CancellationTokenSource(s_patience).Token))
        {
            if (item.Type == itemType)
            {
                return;
            }
        }
        throw new InvalidOperationException($"Run {run.RunId} ended without {itemType}.");
    }

    private sealed class Breaks : Workflow
    {
        public override string Name => "breaks";

        [Step]
        public StopEvent Fail(StartEvent ev) => throw new InvalidOperationException("always fails");
    }

    private static async Task<List<RunFrame>> Collect(IAsyncEnumerable<RunFrame> frames)
    {
        var list = new List<RunFrame>();
        await foreach (var frame in frames.WithCancellation(new CancellationTokenSource(s_patience).Token))
        {
            list.Add(frame);
        }
        return list;
    }

    [Theory]
    [MemberData(nameof(Durability))]
    public async Task Start_DuplicateCorrelationId_NamesTheExistingRun(bool durable)
    {
        var engine = await EngineAsync(durable);
        var first = await engine.StartWorkflowAsync("counter", new { n = 1 }, correlationId: "order-7");
        await first.Outcome.WaitAsync(s_patience);

        var duplicate = await Assert.ThrowsAsync<DuplicateCorrelationException>(() => engine.StartWorkflowAsync("counter", new { n = 2 }, correlationId: "order-7"));

        Assert.Equal(first.RunId, duplicate.ExistingRunId);
        Assert.Equal([first.RunId], (await engine.ListRunsAsync(new RunListQuery { CorrelationId = "order-7" })).Items.Select(r => r.Id));
    }

    [Theory]
    [MemberData(nameof(Durability))]
    public async Task CorrelationId_OfARunNoLongerRetained_IsForgottenInMemory_AndStillRefusedByTheStore(bool durable)
    {
        var engine = await EngineAsync(durable, retained: 1);
        var first = await engine.StartWorkflowAsync("counter", new { n = 1 }, correlationId: "order-8");
        await first.Outcome.WaitAsync(s_patience);
        await (await engine.StartWorkflowAsync("counter", new { n = 2 })).Outcome.WaitAsync(s_patience); // evicts the first

        if (durable)
        {
            var duplicate = await Assert.ThrowsAsync<DuplicateCorrelationException>(() => engine.StartWorkflowAsync("counter", new { n = 3 }, correlationId: "order-8"));
            Assert.Equal(first.RunId, duplicate.ExistingRunId);
            return;
        }
        // In memory the engine knows only the runs it retains: the id is free again (the table does not grow forever).
        var again = await engine.StartWorkflowAsync("counter", new { n = 3 }, correlationId: "order-8");
        Assert.NotEqual(first.RunId, again.RunId);
        Assert.Equal(RunStatus.Completed, (await again.Outcome.WaitAsync(s_patience)).Status);
    }

    [Theory]
    [MemberData(nameof(Durability))]
    public async Task SendEvent_ByTypeName_WakesTheWaitingRun(bool durable)
    {
        var registry = new WorkflowRegistry();
        registry.Register(new AwaitsPayment());
        var engine = new LocalExecutionEngine(registry, store: durable ? new InMemoryRunStore() : null);
        await engine.InitializeAsync();
        var run = await engine.StartWorkflowAsync("awaits_payment");
        await foreach (var item in run.ReadItemsAsync().WithCancellation(new CancellationTokenSource(s_patience).Token))
        {
            if (item is RunWaiting)
            {
                break;
            }
        }

        await Assert.ThrowsAsync<ArgumentException>(() => engine.SendEventAsync(run.RunId, "Refund", []));
        var badData = await Assert.ThrowsAsync<ArgumentException>(() => engine.SendEventAsync(run.RunId, "payment", JsonNode.Parse("""{"amount":"lots"}""")!.AsObject()));
        // A member the event's constructor needs must be sent: a missing amount is refused, not taken as 0.
        var missing = await Assert.ThrowsAsync<ArgumentException>(() => engine.SendEventAsync(run.RunId, "payment", []));
        var nullAmount = await Assert.ThrowsAsync<ArgumentException>(() => engine.SendEventAsync(run.RunId, "payment", JsonNode.Parse("""{"amount":null}""")!.AsObject()));
        await engine.SendEventAsync(run.RunId, "payment", JsonNode.Parse("""{"amount":12.5}""")!.AsObject());
        var outcome = await run.Outcome.WaitAsync(s_patience);

        Assert.Contains("amount", badData.Message, StringComparison.Ordinal);
        Assert.Contains("amount", missing.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("data", nullAmount.ParamName);
        Assert.Equal(RunStatus.Completed, outcome.Status);
        Assert.Equal(12.5m, (decimal)outcome.Result!);
        await Assert.ThrowsAsync<RunEndedException>(() => engine.SendEventAsync(run.RunId, "payment", []));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => engine.SendEventAsync("no-such-run", "payment", []));
    }


    public sealed record Payment(decimal Amount) : Event;

    private sealed class AwaitsPayment : Workflow
    {
        public override string Name => "awaits_payment";

        protected override IEnumerable<Type> ExternalEvents => [typeof(Payment)];

        [Step]
        public StopEvent Paid(Payment payment) => new(payment.Amount);

        [Step]
        public void Begin(StartEvent ev)
        {
        }
    }
}
