using Workflows.Engine.Tests.Support;

namespace Workflows.Engine.Tests.Stream;

/// <summary>A run's item stream: dense sequences, ordered timestamps, same items for every reader, one terminal item last.</summary>
public sealed class RunItemStreamTests
{
    private sealed record Job(int N) : Event;

    private sealed record JobDone(int N) : Event;

    /// <summary>begin waits for a release, then fans out 5 jobs (2 workers) that each write to the stream.</summary>
    private sealed class StreamingWorkflow(Signal release) : Workflow
    {
        [Step, Emits(typeof(Job))]
        public async Task Begin(StartEvent ev, IStepContext ctx)
        {
            await release.WaitAsync();
            for (var i = 0; i < 5; i++)
            {
                ctx.SendEvent(new Job(i));
            }
        }

        [Step(NumWorkers = 2)]
        public async Task<JobDone> Work(Job ev, IStepContext ctx)
        {
            await Task.Yield();
            ctx.WriteEventToStream(new { progress = ev.N });
            return new JobDone(ev.N);
        }

        [Step]
        public StopEvent? Gather(JobDone ev, IStepContext ctx) =>
            ctx.CollectEvents<JobDone>(ev, 5) is { } all ? new StopEvent(all.Count) : null;
    }

    private static async Task<(RunHandle Run, List<RunItem> Items)> RunToEndAsync()
    {
        var release = new Signal();
        var run = await new StreamingWorkflow(release).StartAsync();
        release.Set();
        await run.Outcome.WaitAsync(TimeSpan.FromSeconds(10));
        return (run, await run.ReadToEndAsync());
    }

    [Fact]
    public async Task Stream_FinishedRun_SequencesDenseTimestampsOrderedOneTerminalLast()
    {
        // Act
        var (run, items) = await RunToEndAsync();

        // Assert
        Assert.Equal(Enumerable.Range(1, items.Count).Select(i => (long)i), items.Select(i => i.Sequence));
        Assert.All(items.Zip(items.Skip(1)), pair => Assert.True(pair.First.Timestamp <= pair.Second.Timestamp));
        Assert.All(items, i => Assert.Equal(run.RunId, i.RunId));
        Assert.IsType<RunStarted>(items[0]);
        Assert.Equal(5, items.OfType<StreamWritten>().Count());
        Assert.Equal(5, Assert.IsType<RunCompleted>(items.SingleTerminalLast<RunCompleted>()).Result);
        Assert.True(run.Items.IsCompleted);
    }

    [Fact]
    public async Task Stream_TwoConcurrentLiveReaders_SeeIdenticalStreams()
    {
        // Arrange: both readers attach while the run is held, then read live items.
        var release = new Signal();
        var run = await new StreamingWorkflow(release).StartAsync();
        var first = Task.Run(() => run.ReadToEndAsync());
        var second = Task.Run(() => run.ReadToEndAsync());

        // Act
        release.Set();
        var firstItems = await first.WaitAsync(TimeSpan.FromSeconds(10));
        var secondItems = await second.WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal(firstItems.Select(i => i.Sequence), secondItems.Select(i => i.Sequence));
        Assert.All(firstItems.Zip(secondItems), pair => Assert.Same(pair.First, pair.Second));
        Assert.Equal(run.Items.Snapshot(), firstItems);
        firstItems.SingleTerminalLast<RunCompleted>();
    }

    [Fact]
    public async Task Stream_ReaderStartingAfterEnd_SeesWholeHistory()
    {
        // Arrange
        var (run, _) = await RunToEndAsync();

        // Act
        var late = await run.ReadToEndAsync();

        // Assert
        Assert.Equal(run.Items.Count, late.Count);
        Assert.Equal(run.Items.Snapshot(), late);
        Assert.Equal(1, late[0].Sequence);
        late.SingleTerminalLast<RunCompleted>();
    }

    [Fact]
    public async Task Stream_ReadAfterSequence_ResumesRightAfterIt()
    {
        // Arrange
        var (run, all) = await RunToEndAsync();

        foreach (var k in new[] { 0, 1, 3, all.Count - 1, all.Count })
        {
            // Act
            var resumed = await run.ReadToEndAsync(afterSequence: k);

            // Assert
            Assert.Equal(all.Skip(k), resumed);
        }
    }

    [Fact]
    public async Task Stream_ReadAfterSequenceWhileRunning_GetsOnlyLaterLiveItems()
    {
        // Arrange
        var release = new Signal();
        var run = await new StreamingWorkflow(release).StartAsync();
        var seen = await run.ReadUntilAsync(items => items.OfType<StepStarted>().Any(s => s.Step == "begin"));
        var k = seen[^1].Sequence;
        var resumed = Task.Run(() => run.ReadToEndAsync(afterSequence: k));

        // Act
        release.Set();
        var items = await resumed.WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.Equal(k + 1, items[0].Sequence);
        Assert.Equal(run.Items.Snapshot().Skip((int)k), items);
        items.SingleTerminalLast<RunCompleted>();
    }
}
