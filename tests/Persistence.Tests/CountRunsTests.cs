using Workflows.Persistence.Tests.Support;

namespace Workflows.Persistence.Tests;

/// <summary>The counts by status: every stored run once, by its current status, of every workflow or of one.</summary>
public sealed class CountRunsTests
{
    [Theory, SqliteStore, PostgresStore]
    public async Task CountRuns_EveryStatusOnce_ByItsCurrentStatus_FilteredByWorkflow(StoreKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var store = await database.CreateInitializedStoreAsync();
        // order: one run in each status, two more completed; invoice: one running, one timed out.
        var orders = Enum.GetValues<RunStatus>().Select((status, i) => Sample.Run($"o-{i}", status, Sample.T0.AddMinutes(i), workflow: "order"))
            .Append(Sample.Run("o-done-1", RunStatus.Completed, workflow: "order"))
            .Append(Sample.Run("o-done-2", RunStatus.Completed, workflow: "order"));
        RunRecord[] invoices = [Sample.Run("i-1", RunStatus.Running, workflow: "invoice"), Sample.Run("i-2", RunStatus.TimedOut, workflow: "invoice")];
        await store.CommitAsync(orders.Concat(invoices).Select(r => new RunCommit(r.Id) { Run = r }).ToArray(), CancellationToken.None);
        // A later commit moves i-1 on: it counts once, as failed.
        await store.CommitAsync([new RunCommit("i-1") { Run = invoices[0] with { Status = RunStatus.Failed } }], CancellationToken.None);

        var all = await store.CountRunsAsync(null, CancellationToken.None);
        var order = await store.CountRunsAsync("order", CancellationToken.None);
        var invoice = await store.CountRunsAsync("invoice", CancellationToken.None);
        var none = await store.CountRunsAsync("no_such_workflow", CancellationToken.None);

        Assert.Equal(Expected(pending: 1, running: 1, waiting: 1, completed: 3, failed: 2, canceled: 1, timedOut: 2), all.ByStatus);
        Assert.Equal(11, all.Total);
        Assert.Equal(Expected(pending: 1, running: 1, waiting: 1, completed: 3, failed: 1, canceled: 1, timedOut: 1), order.ByStatus);
        Assert.Equal(9, order.Total);
        Assert.Equal(Expected(failed: 1, timedOut: 1), invoice.ByStatus);
        Assert.Equal(2, invoice.Total);
        Assert.Equal(Expected(), none.ByStatus);
        Assert.Equal(0, none.Total);
    }

    [Theory, SqliteStore, PostgresStore]
    public async Task CountRuns_EmptyStore_EveryStatusZero(StoreKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var store = await database.CreateInitializedStoreAsync();

        var counts = await store.CountRunsAsync(null, CancellationToken.None);

        Assert.Equal(Enum.GetValues<RunStatus>(), counts.ByStatus.Keys);
        Assert.All(counts.ByStatus.Values, n => Assert.Equal(0, n));
        Assert.Equal(0, counts.Total);
    }

    private static Dictionary<RunStatus, long> Expected(long pending = 0, long running = 0, long waiting = 0, long completed = 0, long failed = 0,
        long canceled = 0, long timedOut = 0) => new()
    {
        [RunStatus.Pending] = pending,
        [RunStatus.Running] = running,
        [RunStatus.Waiting] = waiting,
        [RunStatus.Completed] = completed,
        [RunStatus.Failed] = failed,
        [RunStatus.Canceled] = canceled,
        [RunStatus.TimedOut] = timedOut,
    };
}
