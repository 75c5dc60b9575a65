using Workflows.Definitions.EventDriven;

namespace Workflows.Definitions.Tests;

public sealed class WebScraperTests
{
    [Fact]
    public async Task Run_ReportsFailuresAsErrorsAndTheRestAsResults()
    {
        var urls = new[] { "https://a.example/1", "https://b.example/fail", "https://c.example/3" };

        var result = await Runs.ResultAsync(new WebScraperWorkflow(), new { urls, delayMs = 10 });

        var json = Runs.ToJson(result)!;
        Assert.Equal(2, json["fetched"]!.GetValue<int>());
        Assert.Equal(1, json["failed"]!.GetValue<int>());
        Assert.Equal(["https://a.example/1", "https://c.example/3"], json["results"]!.AsArray().Select(r => r!["url"]!.GetValue<string>()));
        Assert.All(json["results"]!.AsArray(), r => Assert.Contains(r!["url"]!.GetValue<string>(), r["content"]!.GetValue<string>()));
        var error = Assert.Single(json["errors"]!.AsArray())!;
        Assert.Equal("https://b.example/fail", error["url"]!.GetValue<string>());
        Assert.Contains("Failed to fetch https://b.example/fail", error["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task Run_WithRandomDelays_SortsTheOutcomesByInputOrder()
    {
        var urls = Enumerable.Range(0, 5).Select(i => i == 2 ? "https://x.example/fail-2" : $"https://x.example/{i}").ToArray();

        var (handle, outcome) = await Runs.RunToEndAsync(new WebScraperWorkflow(), new { urls });

        Assert.Equal(RunStatus.Completed, outcome.Status);
        var result = Assert.IsType<WebScraperResult>(outcome.Result);
        Assert.Equal(urls.Where(u => !u.Contains("fail")), result.Results.Select(r => r.Url));
        Assert.Equal("https://x.example/fail-2", Assert.Single(result.Errors).Url);
        var items = handle.Items.Snapshot();
        Assert.All(items.EventsOf<UrlEvent>(), e => Assert.InRange(e.DelayMs, 100, 500));
        Assert.Equal(5, items.Starts("fetch_url").Count());
    }

    [Fact]
    public async Task Run_WithNoUrls_ReportsZero()
    {
        var result = Assert.IsType<WebScraperResult>(await Runs.ResultAsync(new WebScraperWorkflow()));

        Assert.Equal((0, 0), (result.Fetched, result.Failed));
        Assert.Empty(result.Results);
        Assert.Empty(result.Errors);
    }
}
