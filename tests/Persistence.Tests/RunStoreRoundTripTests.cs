using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Workflows.Persistence.Tests.Support;

namespace Workflows.Persistence.Tests;

/// <summary>Every stored type comes back as it was committed, on both providers.</summary>
public sealed class RunStoreRoundTripTests
{
    [Theory, SqliteStore, PostgresStore]
    public async Task RunRow_EveryFieldSet_RoundTrips(StoreKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var store = await database.CreateInitializedStoreAsync();
        var run = Sample.Run(Sample.Id("run"), RunStatus.Failed) with
        {
            InputJson = """{"name":"Zoë","city":"東京","emoji":"🚀"}""",
            CorrelationId = "order-42",
            ResultJson = """{"total":300}""",
            ErrorJson = """{"step":"charge","type":"PaymentDeclined","message":"Karte abgelehnt ✗"}""",
            LastSequence = 17,
            CreatedAt = new DateTimeOffset(2025, 3, 1, 14, 0, 0, TimeSpan.FromHours(2)),
            UpdatedAt = Sample.T0.AddMinutes(5).AddTicks(10),
            EndedAt = Sample.T0.AddMinutes(6),
        };

        await store.CommitAsync([new RunCommit(run.Id) { Run = run }], CancellationToken.None);
        var stored = await store.GetRunAsync(run.Id, CancellationToken.None);

        Assert.NotNull(stored);
        Assert.Equal(run, stored.Run);
        Assert.Equal(TimeSpan.Zero, stored.Run.CreatedAt.Offset);
        Assert.Null(stored.StateJson);
        Assert.Empty(stored.Tasks);
    }

    [Theory, SqliteStore, PostgresStore]
    public async Task RunRow_OptionalFieldsNull_RoundTrips(StoreKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var store = await database.CreateInitializedStoreAsync();
        var run = Sample.Run(Sample.Id("run"), RunStatus.Pending);

        await store.CommitAsync([new RunCommit(run.Id) { Run = run }], CancellationToken.None);
        var stored = await store.GetRunAsync(run.Id, CancellationToken.None);

        Assert.Equal(run, stored!.Run);
        Assert.Null(stored.Run.CorrelationId);
        Assert.Null(stored.Run.ResultJson);
        Assert.Null(stored.Run.ErrorJson);
        Assert.Null(stored.Run.EndedAt);
    }

    [Theory, SqliteStore, PostgresStore]
    public async Task RunRow_LaterCommit_ReplacesEveryField(StoreKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var store = await database.CreateInitializedStoreAsync();
        var first = Sample.Run(Sample.Id("run")) with { CorrelationId = "c-1", ErrorJson = """{"transient":true}""" };
        var second = first with { Status = RunStatus.Completed, CorrelationId = null, ErrorJson = null, ResultJson = "42", LastSequence = 9, EndedAt = Sample.T0.AddHours(1) };

        await store.CommitAsync([new RunCommit(first.Id) { Run = first }], CancellationToken.None);
        await store.CommitAsync([new RunCommit(first.Id) { Run = second }], CancellationToken.None);

        Assert.Equal(second, (await store.GetRunAsync(first.Id, CancellationToken.None))!.Run);
    }

    [Theory, SqliteStore, PostgresStore]
    public async Task Items_UnicodeJson_ComeBackCharacterForCharacter(StoreKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var store = await database.CreateInitializedStoreAsync();
        var runId = Sample.Id("run");
        string[] bodies =
        [
            """{"text":"Grüße, 世界! 🎉👩‍👩‍👧","rtl":"שלום","combining":"e\u0301"}""",
            """{ "spaced" :  [1, 2 ,3] , "z": 1, "a": 2 }""",
            """{"escaped":"quote \" backslash \\ newline \n tab \t nul \u0000 surrogate \ud83d\ude80"}""",
            "{\"big\":\"" + new string('x', 200_000) + "\"}",
        ];
        var items = bodies.Select((json, i) => Sample.Item(runId, i + 1, json, "step.output")).ToArray();

        await store.CommitAsync([Sample.Start(runId, items: 0) with { Items = items }], CancellationToken.None);
        var read = await store.ReadItemsAsync(runId, 0, CancellationToken.None).ToListAsync();

        Assert.Equal(items, read);
    }

    [Theory, SqliteStore, PostgresStore]
    public async Task State_LaterCommit_ReplacesIt_AndNullKeepsIt(StoreKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var store = await database.CreateInitializedStoreAsync();
        var runId = Sample.Id("run");

        await store.CommitAsync([Sample.Start(runId) with { StateJson = """{"v":1,"note":"première"}""" }], CancellationToken.None);
        await store.CommitAsync([new RunCommit(runId) { StateJson = """{"v":2,"note":"zweite"}""" }], CancellationToken.None);
        var replaced = await store.GetRunAsync(runId, CancellationToken.None);
        await store.CommitAsync([new RunCommit(runId) { Items = [Sample.Item(runId, 3)] }], CancellationToken.None);
        var kept = await store.GetRunAsync(runId, CancellationToken.None);

        Assert.Equal("""{"v":2,"note":"zweite"}""", replaced!.StateJson);
        Assert.Equal("""{"v":2,"note":"zweite"}""", kept!.StateJson);
    }

    [Theory, SqliteStore, PostgresStore]
    public async Task Tasks_EveryField_RoundTrip(StoreKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var store = await database.CreateInitializedStoreAsync();
        var runId = Sample.Id("run");
        var minimal = Sample.Task(Sample.Id("task"), runId, createdAt: Sample.T0);
        var pending = Sample.Task(Sample.Id("task"), runId, createdAt: Sample.T0.AddSeconds(1)) with
        {
            Description = "Montant élevé: 1 200 €",
            Assignee = "alice",
            Group = "finance",
            DueAt = Sample.T0.AddDays(2),
            OnDue = DueAction.DefaultOutcome(new JsonObject { ["approved"] = false, ["reason"] = "délai dépassé" }),
        };
        var completed = Sample.Task(Sample.Id("task"), runId, HumanTaskStatus.Completed, Sample.T0.AddSeconds(2)) with
        {
            Group = "managers",
            DueAt = Sample.T0.AddHours(4),
            OnDue = DueAction.Escalate("directors"),
            CompletedBy = "bob",
            CompletedAt = Sample.T0.AddHours(3),
            Data = new JsonObject { ["approved"] = true, ["comment"] = "ok 👍", ["lines"] = new JsonArray(1, 2.5, null, "x") },
        };
        var canceled = Sample.Task(Sample.Id("task"), runId, HumanTaskStatus.Canceled, Sample.T0.AddSeconds(3)) with
        {
            CompletedAt = Sample.T0.AddHours(5),
            CancelReason = "The run was canceled",
        };

        await store.CommitAsync([Sample.Start(runId) with { Tasks = [canceled, completed, pending, minimal] }], CancellationToken.None);
        var stored = await store.GetRunAsync(runId, CancellationToken.None);

        StoreAssert.TasksEqual([minimal, pending, completed, canceled], stored!.Tasks);
    }

    [Theory, SqliteStore, PostgresStore]
    public async Task Tasks_LaterCommit_ReplacesTheTask(StoreKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var store = await database.CreateInitializedStoreAsync();
        var runId = Sample.Id("run");
        var pending = Sample.Task(Sample.Id("task"), runId) with { Assignee = "alice", OnDue = DueAction.Escalate("ops") };
        var escalated = pending with { Assignee = null, Group = "ops", OnDue = null };

        await store.CommitAsync([Sample.Start(runId) with { Tasks = [pending] }], CancellationToken.None);
        await store.CommitAsync([new RunCommit(runId) { Tasks = [escalated] }], CancellationToken.None);
        var stored = await store.GetRunAsync(runId, CancellationToken.None);

        StoreAssert.TasksEqual([escalated], stored!.Tasks);
    }

    [Theory, SqliteStore, PostgresStore]
    public async Task Definitions_KnownNameAndVersion_KeepTheirFirstRow(StoreKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var first = new DefinitionRecord("order", "1.0.0", "graph", "hash-a", Sample.T0);
        var other = new DefinitionRecord("order", "1.1.0", "graph", "hash-b", Sample.T0.AddDays(1));
        var changedWithoutNewVersion = first with { ShapeHash = "hash-c", FirstSeenAt = Sample.T0.AddDays(2) };
        var eventDriven = new DefinitionRecord("word_count", "1.0.0", "event", "hash-d", Sample.T0.AddDays(2));

        await database.CreateStore().InitializeAsync([first], CancellationToken.None);
        await database.CreateStore().InitializeAsync([changedWithoutNewVersion, other, eventDriven], CancellationToken.None);
        await using var db = database.CreateContext();
        var stored = await db.Definitions.AsNoTracking().OrderBy(d => d.Name).ThenBy(d => d.Version).ToListAsync();

        Assert.Equal(
            [first, other, eventDriven],
            stored.Select(d => new DefinitionRecord(d.Name, d.Version, d.Kind, d.ShapeHash, d.FirstSeenAt)));
    }

    [Theory, SqliteStore, PostgresStore]
    public async Task Timestamps_AreStoredInUtcToTheMicrosecond(StoreKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var store = await database.CreateInitializedStoreAsync();
        var runId = Sample.Id("run");
        var precise = new DateTimeOffset(2025, 3, 1, 17, 30, 0, TimeSpan.FromHours(5.5)).AddTicks(1_234_567);
        var item = Sample.Item(runId, 1) with { Timestamp = precise };

        await store.CommitAsync([Sample.Start(runId, items: 0) with { Run = Sample.Run(runId) with { CreatedAt = precise }, Items = [item] }], CancellationToken.None);
        var run = (await store.GetRunAsync(runId, CancellationToken.None))!.Run;
        var read = await store.ReadItemsAsync(runId, 0, CancellationToken.None).SingleAsync();

        var expected = new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero).AddTicks(1_234_560);
        Assert.Equal(expected, run.CreatedAt);
        Assert.Equal(TimeSpan.Zero, run.CreatedAt.Offset);
        Assert.Equal(expected, read.Timestamp);
    }

    [Theory, SqliteStore, PostgresStore]
    public async Task GetRun_UnknownRun_IsNull(StoreKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var store = await database.CreateInitializedStoreAsync();

        Assert.Null(await store.GetRunAsync("no-such-run", CancellationToken.None));
    }
}
