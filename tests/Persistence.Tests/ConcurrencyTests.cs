using Workflows.Persistence.Tests.Support;

namespace Workflows.Persistence.Tests;

/// <summary>One writer (the engine serialises commits) and many readers at once, as the server will have them.</summary>
public sealed class ConcurrencyTests
{
    [Theory, SqliteStore, PostgresStore]
    public async Task EightReaders_DuringCommits_NeverFailAndSeeWholeCommits(StoreKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var store = await database.CreateInitializedStoreAsync();
        var runs = Enumerable.Range(0, 10).Select(i => $"run-{i}").ToArray();
        const int Passes = 30;
        const int ItemsPerPass = 10;
        await store.CommitAsync(runs.Select(id => new RunCommit(id) { Run = Sample.Run(id) }).ToArray(), CancellationToken.None);
        using var writing = new CancellationTokenSource();

        var reads = 0;
        var writer = Task.Run(async () =>
        {
            try
            {
                for (var pass = 0; pass < Passes; pass++)
                {
                    if (pass == Passes - 1)
                    {
                        // Hold the last commit until the readers have really run beside the writer.
                        for (var waited = 0; Volatile.Read(ref reads) < 8 && waited < 2000; waited++)
                        {
                            await Task.Delay(5);
                        }
                    }
                    var from = (pass * ItemsPerPass) + 1;
                    var to = from + ItemsPerPass - 1;
                    await store.CommitAsync(runs.Select(id => new RunCommit(id)
                    {
                        Run = Sample.Run(id, pass == Passes - 1 ? RunStatus.Completed : RunStatus.Running, lastSequence: to),
                        Items = Sample.Items(id, from, to),
                        StateJson = $$"""{"last":{{to}}}""",
                    }).ToArray(), CancellationToken.None);
                }
            }
            finally
            {
                await writing.CancelAsync();
            }
        });
        var readers = Enumerable.Range(0, 8).Select(r => Task.Run(async () =>
        {
            var random = new Random(r);
            while (!writing.IsCancellationRequested)
            {
                var id = runs[random.Next(runs.Length)];
                var stored = await store.GetRunAsync(id, CancellationToken.None);
                // Row and state come from one commit.
                Assert.Equal($$"""{"last":{{stored!.Run.LastSequence}}}""", stored.StateJson ?? """{"last":0}""");
                // Items committed with (or before) that row are all there, dense from 1.
                var items = await store.ReadItemsAsync(id, 0, CancellationToken.None).ToListAsync();
                Assert.True(items.Count >= stored.Run.LastSequence, $"{items.Count} items, row says {stored.Run.LastSequence}");
                Assert.Equal(Enumerable.Range(1, items.Count).Select(i => (long)i), items.Select(i => i.Sequence));
                if (random.Next(4) == 0)
                {
                    var unfinished = await store.LoadUnfinishedAsync(CancellationToken.None);
                    Assert.All(unfinished, u => Assert.False(u.Run.Status.IsTerminal()));
                    await store.ListRunsAsync(new RunListQuery { Limit = 5 }, CancellationToken.None);
                }
                Interlocked.Increment(ref reads);
            }
        })).ToArray();

        await Task.WhenAll([writer, .. readers]);

        Assert.True(reads >= 8, $"only {reads} reads ran beside the writer");
        Assert.Empty(await store.LoadUnfinishedAsync(CancellationToken.None));
        foreach (var id in runs)
        {
            Assert.Equal(Passes * ItemsPerPass, await store.ReadItemsAsync(id, 0, CancellationToken.None).CountAsync());
        }
    }
}
