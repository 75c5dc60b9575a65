using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace Workflows.Pages.Tests;

/// <summary>
/// One server and one Chromium for every page test (starting a browser is the slow part). Each test opens its own
/// browser contexts, one per person: a context is a fresh profile (cookies, headers), so two people can act side
/// by side.
/// </summary>
/// <remarks>
/// The browser is Debian's Chromium (<c>/usr/bin/chromium</c>, installed by <c>.ci/run</c>); Playwright's own browser
/// download is never used. People sign in through the sign-in page, as a person would; runs are arranged through the
/// API with an API key.
/// </remarks>
public sealed class BrowserFixture : IAsyncLifetime
{
    /// <summary>The browser the tests drive.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public PagesServer Server { get; } = new();

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser is not started.");

    /// <summary>A client of the API for arranging runs: the tests' key (every permission, every approvers' group).</summary>
    public HttpClient Api()
    {
        var client = new HttpClient { BaseAddress = Server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add("X-Api-Key", PagesServer.ApiKey);
        return client;
    }

    public async Task InitializeAsync()
    {
        // Auto-waiting assertions wait this long at most: generous, as the machine is shared.
        Assertions.SetDefaultExpectTimeout(20_000);
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"The page tests drive Debian's Chromium at {ChromiumPath}, which is missing: " +
                "install it with 'apt-get install -y chromium' (.ci/run does).");
        }
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        });
    }

    /// <summary>A fresh browser profile (no cookie) on <paramref name="server"/>; <paramref name="width"/> 390 is a phone.</summary>
    public async Task<IPage> OpenAnonymousAsync(PagesServer? server = null, int width = 1200, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = (server ?? Server).BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        context.SetDefaultTimeout(20_000);
        var page = await context.NewPageAsync();
        // A script error on a page fails the test that caused it.
        page.PageError += (_, error) => PageErrors.Add($"{page.Url}: {error}");
        page.Console += (_, message) =>
        {
            // The browser also logs every 4xx answer ("Failed to load resource"): the pages expect those (404 from
            // /api/me before sign-in exists, 422 for a form the server refuses).
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
            {
                PageErrors.Add($"{page.Url}: console: {message.Text}");
            }
        };
        return page;
    }

    /// <summary>
    /// A page for <paramref name="user"/> (one of <see cref="PagesServer.People"/>), signed in through the sign-in
    /// page: the first address asked for is <paramref name="path"/>, the server sends the anonymous browser to
    /// <c>/signin</c>, and back to <paramref name="path"/> once signed in.
    /// </summary>
    public async Task<IPage> SignInAsync(string user, string path = "/", int width = 1200, int height = 900)
    {
        var page = await OpenAnonymousAsync(width: width, height: height);
        await page.GotoAsync(path);
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/signin\\?returnUrl="));
        await page.GetByLabel("User name").FillAsync(user);
        await page.GetByLabel("Password").FillAsync(PagesServer.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Uri(Server.BaseAddress, path).ToString());
        await Assertions.Expect(page.Locator("#who-name")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex($"^Signed in as {user}\\b"));
        return page;
    }

    /// <summary>
    /// Uncaught script errors and console errors of the pages opened since <see cref="ForgetPageErrors"/> (each test
    /// class's constructor calls it: tests of the collection run one after another).
    /// </summary>
    public List<string> PageErrors { get; } = [];

    /// <summary>Starts a new test's record of page errors.</summary>
    public BrowserFixture ForgetPageErrors()
    {
        PageErrors.Clear();
        return this;
    }

    /// <summary>Starts a run through the API; returns its id.</summary>
    public async Task<string> StartRunAsync(string workflow, object? input = null)
    {
        using var api = Api();
        using var response = await api.PostAsJsonAsync($"/api/workflows/{workflow}/instances", new { input = input ?? new { } });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    /// <summary>The run's pending tasks by step, read once the run waits for people (its run.waiting item).</summary>
    public async Task<Dictionary<string, string>> WaitForTasksAsync(string runId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var run = Server.Engine.FindRun(runId) ?? throw new InvalidOperationException($"No run {runId}.");
        await foreach (var item in run.ReadItemsAsync(cancellationToken: timeout.Token))
        {
            if (item is RunWaiting)
            {
                break;
            }
        }
        using var api = Api();
        var page = await api.GetFromJsonAsync<JsonElement>($"/api/tasks?status=pending&instance={runId}", timeout.Token);
        return page.GetProperty("items").EnumerateArray().ToDictionary(t => t.GetProperty("step").GetString()!, t => t.GetProperty("id").GetString()!);
    }

    /// <summary>Completes a task through the API (the tests' key is in every approvers' group).</summary>
    public async Task CompleteTaskAsync(string taskId, object data)
    {
        using var api = Api();
        using var response = await api.PostAsJsonAsync($"/api/tasks/{taskId}/complete", data);
        response.EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
        _playwright?.Dispose();
        await Server.DisposeAsync();
    }
}

/// <summary>Every page test class shares one <see cref="BrowserFixture"/>, and they run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class PagesCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "pages";
}
