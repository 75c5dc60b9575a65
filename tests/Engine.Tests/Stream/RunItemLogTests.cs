namespace Workflows.Engine.Tests.Stream;

/// <summary>The in-memory log behind a run's stream: one writer, many readers, closed by the terminal item.</summary>
public sealed class RunItemLogTests
{
    private static StepStarted Started(long sequence) => new("step", 0, 1, "Ping") { Sequence = sequence };

    [Fact]
    public async Task ReadAllAsync_WaitingReader_GetsLiveItemsAndEndsAtTerminal()
    {
        // Arrange
        var log = new RunItemLog();
        log.Append(Started(1));
        var reader = Task.Run(async () =>
        {
            var items = new List<RunItem>();
            await foreach (var item in log.ReadAllAsync())
            {
                items.Add(item);
            }
            return items;
        });

        // Act
        log.Append(Started(2));
        log.Append(new RunCompleted("done") { Sequence = 3 }, terminal: true);
        var read = await reader.WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.Equal([1L, 2L, 3L], read.Select(i => i.Sequence).ToArray());
        Assert.True(log.IsCompleted);
    }

    [Fact]
    public void Append_AfterTerminal_Ignored()
    {
        // Arrange
        var log = new RunItemLog();
        log.Append(new RunCanceled("stop") { Sequence = 1 }, terminal: true);

        // Act
        log.Append(Started(2));
        log.Append(new RunFailed(new RunError(null, "x", "y")) { Sequence = 3 }, terminal: true);

        // Assert
        Assert.Equal(1, log.Count);
        Assert.IsType<RunCanceled>(Assert.Single(log.Snapshot()));
    }

    [Fact]
    public async Task ReadAllAsync_Cancelled_StopsWaiting()
    {
        // Arrange
        var log = new RunItemLog();
        using var cancellation = new CancellationTokenSource();

        // Act
        var reading = Task.Run(async () =>
        {
            await foreach (var _ in log.ReadAllAsync(0, cancellation.Token))
            {
            }
        });
        await cancellation.CancelAsync();

        // Assert
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task ReadFramesAsync_TwoReaders_ShareOneFramePerItem()
    {
        // Arrange
        var log = new RunItemLog();
        log.Append(Started(1));
        log.Append(Started(2));
        log.Append(new RunCompleted("done") { Sequence = 3 }, terminal: true);

        // Act
        var one = await Collect(log.ReadFramesAsync(0));
        var two = await Collect(log.ReadFramesAsync(0));

        // Assert: the same instances (built once), and what RunFrame.Of builds for each item.
        Assert.Equal([1L, 2L, 3L], one.Select(f => f.Sequence).ToArray());
        Assert.All(one.Zip(two), pair => Assert.Same(pair.First, pair.Second));
        Assert.Equal(log.Snapshot().Select(RunFrame.Of).ToArray(), one.ToArray());
    }

    [Fact]
    public async Task ReadFramesAsync_WaitingReader_GetsLiveFramesAfterTheCursorAndEndsAtTerminal()
    {
        // Arrange
        var log = new RunItemLog();
        log.Append(Started(1));
        log.Append(Started(2));
        var reader = Task.Run(() => Collect(log.ReadFramesAsync(1)));

        // Act
        log.Append(Started(3));
        log.Append(new RunFailed(new RunError(null, "x", "y")) { Sequence = 4 }, terminal: true);
        var read = await reader.WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.Equal([2L, 3L, 4L], read.Select(f => f.Sequence).ToArray());
        Assert.Equal([RunItemTypes.StepStarted, RunItemTypes.StepStarted, RunItemTypes.RunFailed], read.Select(f => f.Type).ToArray());
    }

    [Fact]
    public async Task ReadFramesAsync_LogOfAResumedRun_CountsFromItsFirstSequence()
    {
        // Arrange: a run resumed after a restart holds items from 11 on.
        var log = new RunItemLog(firstSequence: 11);
        log.Append(Started(11));
        log.Append(Started(12));
        log.Append(new RunCanceled("stop") { Sequence = 13 }, terminal: true);

        // Act
        var all = await Collect(log.ReadFramesAsync(10));
        var rest = await Collect(log.ReadFramesAsync(12));

        // Assert
        Assert.Equal([11L, 12L, 13L], all.Select(f => f.Sequence).ToArray());
        Assert.Same(all[^1], Assert.Single(rest));
    }

    [Fact]
    public async Task ReadFramesAsync_ManyReadersWokenTogether_EachGetsEveryFrameOnce()
    {
        // Arrange: readers waiting on an open log, woken by the same appends.
        var log = new RunItemLog();
        var readers = Enumerable.Range(0, 50).Select(_ => Task.Run(() => Collect(log.ReadFramesAsync(0)))).ToArray();

        // Act
        for (var sequence = 1; sequence <= 20; sequence++)
        {
            log.Append(Started(sequence));
        }
        log.Append(new RunCompleted(null) { Sequence = 21 }, terminal: true);
        var read = await Task.WhenAll(readers).WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.All(read, frames => Assert.Equal(Enumerable.Range(1, 21).Select(i => (long)i), frames.Select(f => f.Sequence)));
        Assert.All(read, frames => Assert.All(frames.Zip(read[0]), pair => Assert.Same(pair.Second, pair.First)));
    }

    private static async Task<List<RunFrame>> Collect(IAsyncEnumerable<RunFrame> frames)
    {
        var list = new List<RunFrame>();
        await foreach (var frame in frames)
        {
            list.Add(frame);
        }
        return list;
    }
}
