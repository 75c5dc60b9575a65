namespace Workflows.Definitions.EventDriven;

/// <summary>Input of <c>web_scraper</c>.</summary>
public sealed record WebScraperStartEvent : StartEvent
{
    /// <summary>The urls to fetch; any url containing "fail" fails.</summary>
    public IReadOnlyList<string>? Urls { get; init; }

    /// <summary>How long one fetch takes; by default 100–500 ms at random, per url.</summary>
    public int? DelayMs { get; init; }
}

/// <summary>One url to fetch.</summary>
/// <param name="Index">Its position in the input, by which results are sorted.</param>
/// <param name="Url">The url.</param>
/// <param name="DelayMs">How long the fetch takes.</param>
public sealed record UrlEvent(int Index, string Url, int DelayMs) : Event;

/// <summary>The outcome of one fetch: the content, or the error (a failure is a result, not a failed run).</summary>
/// <param name="Index">The url's position in the input.</param>
/// <param name="Url">The url.</param>
/// <param name="Content">The page, when the fetch succeeded.</param>
/// <param name="Error">Why it failed, when it did.</param>
public sealed record FetchResultEvent(int Index, string Url, string? Content, string? Error) : Event;

/// <summary>The result of <c>web_scraper</c>: <c>{fetched, failed, results: [{url, content}], errors: [{url, error}]}</c>.</summary>
/// <param name="Fetched">How many urls were fetched.</param>
/// <param name="Failed">How many failed.</param>
/// <param name="Results">The pages, in input order.</param>
/// <param name="Errors">The failures, in input order.</param>
public sealed record WebScraperResult(int Fetched, int Failed, IReadOnlyList<ScrapedPage> Results, IReadOnlyList<ScrapeError> Errors);

/// <summary>A fetched page.</summary>
/// <param name="Url">Its url.</param>
/// <param name="Content">Its content.</param>
public sealed record ScrapedPage(string Url, string Content);

/// <summary>A failed fetch.</summary>
/// <param name="Url">The url.</param>
/// <param name="Error">What went wrong.</param>
public sealed record ScrapeError(string Url, string Error);
