using Workflows.Definitions.Graph;

namespace Workflows.Definitions.Tests.Graph;

public sealed class DataFetchTests
{
    private static readonly string[] s_members = ["fetch_api1", "fetch_api2", "fetch_api3"];

    [Fact]
    public async Task Run_CombinesTheThreeApis()
    {
        var (context, _) = await GraphRuns.CompleteAsync(DataFetch.Create(), new { delaysMs = new { api1 = 5, api2 = 5, api3 = 5 } });

        Assert.Equal("""{"api1":"data from api1","api2":"data from api2","api3":"data from api3"}""", context["combined_data"]!.ToJsonString());
    }

    [Theory]
    [InlineData(30, 15, 0)]
    [InlineData(0, 30, 15)]
    public async Task Aggregate_SeesAllThreeOutputs_WhateverTheOrderTheyFinish(int api1Ms, int api2Ms, int api3Ms)
    {
        var (context, items) = await GraphRuns.CompleteAsync(DataFetch.Create(), new { delaysMs = new { api1 = api1Ms, api2 = api2Ms, api3 = api3Ms } });

        // The fetches write nothing to the context: combined_data can only come from the members' outputs.
        var combined = context["combined_data"]!.AsObject();
        Assert.Equal(["api1", "api2", "api3"], combined.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.All(combined, p => Assert.Equal($"data from {p.Key}", p.Value!.GetValue<string>()));
        var aggregate = items.Single<StepStarted>("aggregate");
        Assert.Equal("fetch_all", aggregate.Group);
        Assert.All(s_members, member => Assert.True(items.Single<StepCompleted>(member).Sequence < aggregate.Sequence));
    }
}
