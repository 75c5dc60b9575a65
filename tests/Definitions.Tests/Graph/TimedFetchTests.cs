using System.Diagnostics;
using Workflows.Definitions.Graph;

namespace Workflows.Definitions.Tests.Graph;

public sealed class TimedFetchTests
{
    [Fact]
    public async Task Fetch_WithinTheTimeout_StoresTheData()
    {
        var (context, _) = await GraphRuns.CompleteAsync(TimedFetch.Create(), new { delayMs = 10, timeoutSeconds = 5 });

        Assert.Equal("fetched data", context["data"]!.GetValue<string>());
        Assert.False(context.ContainsKey("timed_out"));
    }

    [Fact]
    public async Task Fetch_WithTheDefaultTimeout_StoresTheData()
    {
        var (context, _) = await GraphRuns.CompleteAsync(TimedFetch.Create(), new { delayMs = 10 });

        Assert.Equal("fetched data", context["data"]!.GetValue<string>());
    }

    [Fact]
    public async Task Fetch_PastTheTimeout_SetsTimedOutAndCompletes()
    {
        var clock = Stopwatch.StartNew();

        var (context, items) = await GraphRuns.CompleteAsync(TimedFetch.Create(), new { delayMs = 30_000, timeoutSeconds = 0.2 });

        Assert.True(context["timed_out"]!.GetValue<bool>());
        Assert.Null(context["data"]);
        items.Single<StepCompleted>("timed_fetch");
        // The abandoned fetch was cancelled through its token, not waited out (the step awaits it after cancelling).
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"The run took {clock.Elapsed}.");
    }
}
