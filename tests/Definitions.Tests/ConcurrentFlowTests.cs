using Workflows.Definitions.EventDriven;

namespace Workflows.Definitions.Tests;

public sealed class ConcurrentFlowTests
{
    [Fact]
    public async Task Run_ReturnsTheResultsInArrivalOrder()
    {
        // The delays make the answers usually arrive as Query 2, Query 3, Query 1, but a wall-clock delay only says
        // when an answer may arrive at the earliest: on a loaded machine a thread that waits for a core longer than
        // the gap swaps two answers. What the workflow promises is the order they did arrive in, read from the run.
        var (handle, outcome) = await Runs.RunToEndAsync(new ConcurrentFlow(), new { delaysMs = new[] { 200, 0, 100 } });

        Assert.Equal(RunStatus.Completed, outcome.Status);
        var result = Assert.IsType<string[]>(outcome.Result);
        var items = handle.Items.Snapshot();
        // Arrival = the order the loop took the answers in: their StepThreeEvents on the stream, whatever the input order.
        Assert.Equal(items.EventsOf<StepThreeEvent>().Select(e => e.Result), result);
        // step_three (one worker) started once per answer, and took each query's answer once.
        Assert.Equal(3, items.Starts("step_three").Count());
        Assert.Equal(["Query 1", "Query 2", "Query 3"], result.Order(StringComparer.Ordinal));
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
