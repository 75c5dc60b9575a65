using Workflows.Definitions.EventDriven;

namespace Workflows.Definitions.Tests;

public sealed class ConcurrentFlowTests
{
    [Fact]
    public async Task Run_ReturnsTheResultsInArrivalOrder()
    {
        var (handle, outcome) = await Runs.RunToEndAsync(new ConcurrentFlow(), new { delaysMs = new[] { 1000, 0, 500 } });

        Assert.Equal(RunStatus.Completed, outcome.Status);
        var result = Assert.IsType<string[]>(outcome.Result);
        // Exact: the result is the order in which the answers appeared on the stream.
        Assert.Equal(handle.Items.Snapshot().EventsOf<StepThreeEvent>().Select(e => e.Result), result);
        // And with gaps of 500 ms (the machine may be loaded: 200 ms proved too little), that is the order of the delays.
        Assert.Equal(["Query 2", "Query 3", "Query 1"], result);
    }

    [Fact]
    public async Task Run_CollectsAsManyResultsAsThereAreQueries()
    {
        var queries = new[] { "q1", "q2", "q3", "q4", "q5" };

        var result = await Runs.ResultAsync(new ConcurrentFlow(), new { queries, delaysMs = new[] { 5, 5, 5, 5, 5 } });

        Assert.Equal(queries, Assert.IsType<string[]>(result).Order());
    }

    [Fact]
    public async Task Run_WithNoQueries_ReturnsAnEmptyList()
    {
        var result = await Runs.ResultAsync(new ConcurrentFlow(), new { queries = Array.Empty<string>() });

        Assert.Empty(Assert.IsType<string[]>(result));
    }
}
