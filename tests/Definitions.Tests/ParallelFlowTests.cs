using Workflows.Definitions.EventDriven;

namespace Workflows.Definitions.Tests;

public sealed class ParallelFlowTests
{
    [Theory]
    [InlineData(0, 3000, 3000, "Query 1")]
    [InlineData(3000, 0, 3000, "Query 2")]
    [InlineData(3000, 3000, 0, "Query 3")]
    public async Task Run_ReturnsTheQueryWithTheSmallestDelay(int d1, int d2, int d3, string winner)
    {
        var (handle, outcome) = await Runs.RunToEndAsync(new ParallelFlow(), new { delaysMs = new[] { d1, d2, d3 } });

        Assert.Equal(RunStatus.Completed, outcome.Status);
        Assert.Equal(winner, outcome.Result);
        // The run did not wait out the losers' 3 s: only the winner's invocation completed.
        Assert.Single(handle.Items.Snapshot().Completions("step_two"));
    }

    [Fact]
    public async Task Run_LosersStartedButAddNothingAfterRunCompleted()
    {
        var (handle, outcome) = await Runs.RunToEndAsync(new ParallelFlow(), new { delaysMs = new[] { 300, 10, 300 } });
        var items = new List<RunItem>();
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await foreach (var item in handle.ReadItemsAsync(cancellationToken: bound.Token))
        {
            items.Add(item); // the stream must close after the terminal item, or this never ends
        }

        Assert.Equal(RunStatus.Completed, outcome.Status);
        Assert.Equal(3, items.Starts("step_two").Count());
        Assert.Single(items.Completions("step_two"));
        Assert.Single(items.EventsOf<StopEvent>());
        Assert.IsType<RunCompleted>(items[^1]);
        Assert.Equal(Enumerable.Range(1, items.Count).Select(i => (long)i), items.Select(i => i.Sequence));

        // Had the losers not been cancelled they would be done by now; nothing of theirs may appear.
        await Task.Delay(400);
        Assert.Equal(items.Count, handle.Items.Count);
    }

    [Fact]
    public async Task Run_WithoutInput_SendsTheThreeQueriesWithDelaysOf1To5Seconds()
    {
        var handle = await new ParallelFlow().StartAsync();
        var started = 0;
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await foreach (var item in handle.ReadItemsAsync(cancellationToken: bound.Token))
        {
            if (item is StepStarted { Step: "step_two" } && ++started == 3)
            {
                break;
            }
        }
        handle.Cancel("the test has seen what it needs");
        var outcome = await handle.Outcome.WaitAsync(TimeSpan.FromSeconds(5));

        var sent = handle.Items.Snapshot().EventsOf<StepTwoEvent>().ToArray();
        Assert.Equal(["Query 1", "Query 2", "Query 3"], sent.Select(e => e.Query));
        Assert.All(sent, e => Assert.InRange(e.DelayMs, 1000, 5000));
        Assert.Equal(RunStatus.Canceled, outcome.Status);
    }

    [Fact]
    public async Task Run_WithNoQueries_FailsSayingWhy()
    {
        var (_, outcome) = await Runs.RunToEndAsync(new ParallelFlow(), new { queries = Array.Empty<string>() });

        Assert.Equal(RunStatus.Failed, outcome.Status);
        Assert.Equal("start", outcome.Error!.Step);
        Assert.Contains("at least one query", outcome.Error.Message);
    }
}
