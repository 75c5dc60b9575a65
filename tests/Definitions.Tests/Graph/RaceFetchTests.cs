using Workflows.Definitions.Graph;

namespace Workflows.Definitions.Tests.Graph;

public sealed class RaceFetchTests
{
    [Fact]
    public async Task Run_WithTheDefaultFastDelay_FastSourceWins()
    {
        // The default fast delay (50 ms) against a reliable source far slower than any scheduling hiccup.
        var (context, _) = await GraphRuns.CompleteAsync(RaceFetch.Create(), new { reliableDelayMs = 10_000 });

        Assert.Equal("fast", context["source"]!.GetValue<string>());
        Assert.Equal("data from the fast source", context["data"]!.GetValue<string>());
    }

    [Fact]
    public async Task Loser_IsRecordedCanceled()
    {
        var (context, items) = await GraphRuns.CompleteAsync(RaceFetch.Create(), new { fastDelayMs = 5, reliableDelayMs = 5_000 });

        Assert.Equal("fast", context["source"]!.GetValue<string>());
        var canceled = items.Single<StepCanceled>("reliable_source");
        Assert.Equal("fetch_race", canceled.Group);
        Assert.Contains("fast_source", canceled.Reason);
        Assert.DoesNotContain(items.OfType<StepCompleted>(), c => c.Step == "reliable_source");
        Assert.True(items.Single<StepCompleted>("fast_source").Sequence < canceled.Sequence);
    }

    [Fact]
    public async Task FastFails_ReliableSourceWins()
    {
        var (context, items) = await GraphRuns.CompleteAsync(RaceFetch.Create(), new { fastDelayMs = 0, reliableDelayMs = 300, fastFails = true });

        Assert.Equal("reliable", context["source"]!.GetValue<string>());
        Assert.Equal("data from the reliable source", context["data"]!.GetValue<string>());
        Assert.Equal("fetch_race", items.Single<StepFailed>("fast_source").Group);
        items.Single<StepCompleted>("reliable_source");
        Assert.Empty(items.OfType<StepCanceled>());
    }
}
