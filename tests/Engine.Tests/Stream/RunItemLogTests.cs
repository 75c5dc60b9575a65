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
}
