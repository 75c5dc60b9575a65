using System.Text.Json.Nodes;
using Workflows.Definitions.EventDriven;

namespace Workflows.Definitions.Tests;

public sealed class ParallelAccumulatorTests
{
    [Fact]
    public async Task Run_NeverLosesAnUpdate()
    {
        var items = Enumerable.Range(0, 40).Select(i => $"item-{i}").ToArray();

        var (handle, outcome) = await Runs.RunToEndAsync(new ParallelAccumulatorWorkflow(), new { items, delayMs = 1 });

        Assert.Equal(RunStatus.Completed, outcome.Status);
        var result = Assert.IsType<AccumulatorResult>(outcome.Result);
        Assert.Equal(40, result.Count);
        Assert.Equal(Enumerable.Range(0, 40), result.Results.Select(r => r.Index));
        Assert.Equal(items, result.Results.Select(r => r.Item));
        Assert.Equal(items.Select(i => i.ToUpperInvariant()), result.Results.Select(r => r.Result));
        Assert.Equal(40, Assert.IsType<JsonArray>(handle.Store.Snapshot()["results"]).Count);
        Assert.InRange(handle.Items.Snapshot().MaxConcurrency("process_item"), 1, 4);
    }

    [Fact]
    public async Task Run_ResultHasTheDocumentedShape()
    {
        var result = await Runs.ResultAsync(new ParallelAccumulatorWorkflow(), new { items = new[] { "b", "a" }, delayMs = 0 });

        var json = Runs.ToJson(result)!;
        Assert.Equal(2, json["count"]!.GetValue<int>());
        Assert.Equal("""[{"index":0,"item":"b","result":"B"},{"index":1,"item":"a","result":"A"}]""", json["results"]!.ToJsonString());
    }

    [Fact]
    public async Task Run_WithNoItems_ReportsZero()
    {
        var result = Assert.IsType<AccumulatorResult>(await Runs.ResultAsync(new ParallelAccumulatorWorkflow()));

        Assert.Equal(0, result.Count);
        Assert.Empty(result.Results);
    }
}
