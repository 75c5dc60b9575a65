using System.Net;

namespace Workflows.Definitions.EventDriven;

/// <summary>
/// <c>web_scraper</c>: one <see cref="UrlEvent"/> per url, <c>fetch_url</c> (5 workers) fetches it (simulated: a url
/// containing "fail" fails) and turns a failure into a <see cref="FetchResultEvent"/> with the error, so one bad
/// url does not fail the run. <c>collect_results</c> sorts the outcomes back into input order.
/// </summary>
public sealed class WebScraperWorkflow : Workflow
{
    private const string UrlCountKey = "url_count";

    /// <inheritdoc/>
    public override string Name => "web_scraper";

    /// <inheritdoc/>
    public override string? Description =>
        "Fetches urls concurrently (fetch_url, 5 workers); failures become results; the fan-in sorts by input order.";

    /// <summary>Stores the url count and sends one event per url.</summary>
    [Step, Emits(typeof(UrlEvent))]
    public StopEvent? Start(WebScraperStartEvent ev, IStepContext ctx)
    {
        var urls = ev.Urls ?? [];
        if (urls.Count == 0)
        {
            return new StopEvent(new WebScraperResult(0, 0, [], []));
        }
        ctx.Store.Set(UrlCountKey, urls.Count);
        for (var i = 0; i < urls.Count; i++)
        {
            var delay = ev.DelayMs is { } fixedDelay ? SimulatedDelay.Clamp(fixedDelay) : SimulatedDelay.Random(100, 500);
            ctx.SendEvent(new UrlEvent(i, urls[i] ?? "", delay));
        }
        return null;
    }

    /// <summary>Fetches one url; an error is reported in the result event rather than thrown.</summary>
    [Step(NumWorkers = 5)]
    public async Task<FetchResultEvent> FetchUrl(UrlEvent ev, CancellationToken cancellationToken)
    {
        try
        {
            var content = await FetchAsync(ev, cancellationToken).ConfigureAwait(false);
            return new FetchResultEvent(ev.Index, ev.Url, content, null);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            return new FetchResultEvent(ev.Index, ev.Url, null, error.Message);
        }
    }

    /// <summary>Waits for every outcome, then splits them into pages and errors, in input order.</summary>
    [Step]
    public StopEvent? CollectResults(FetchResultEvent ev, IStepContext ctx)
    {
        if (ctx.CollectEvents<FetchResultEvent>(ev, ctx.Store.Get<int>(UrlCountKey)) is not { } all)
        {
            return null;
        }
        var sorted = all.OrderBy(r => r.Index).ToArray();
        var pages = sorted.Where(r => r.Error is null).Select(r => new ScrapedPage(r.Url, r.Content ?? "")).ToArray();
        var errors = sorted.Where(r => r.Error is not null).Select(r => new ScrapeError(r.Url, r.Error!)).ToArray();
        return new StopEvent(new WebScraperResult(pages.Length, errors.Length, pages, errors));
    }

    // The simulated fetch: nothing here calls the network.
    private static async Task<string> FetchAsync(UrlEvent ev, CancellationToken cancellationToken)
    {
        await Task.Delay(ev.DelayMs, cancellationToken).ConfigureAwait(false);
        if (ev.Url.Contains("fail", StringComparison.OrdinalIgnoreCase))
        {
            throw new HttpRequestException($"Failed to fetch {ev.Url}: 503 Service Unavailable (simulated).", null, HttpStatusCode.ServiceUnavailable);
        }
        return $"<html><body>Content of {ev.Url}</body></html>";
    }
}
