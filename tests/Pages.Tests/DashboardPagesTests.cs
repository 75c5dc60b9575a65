using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Workflows.Pages.Tests;

/// <summary>The dashboard: the catalogue, starting a run with a checked input, runs whose status and counts follow live.</summary>
[Collection(PagesCollection.Name)]
public sealed class DashboardPagesTests(BrowserFixture fixture)
{
    private readonly BrowserFixture browser = fixture.ForgetPageErrors();

    [Fact]
    public async Task StartsARun_RefusesBadJsonFirst_ThenShowsItsStatusAndCountsLive()
    {
        var page = await browser.SignInAsync("dana", "/");
        await Expect(page.Locator("#live")).ToHaveTextAsync("live");
        var completedCount = page.Locator("#counts li[data-status='completed'] strong");
        await Expect(completedCount).ToBeVisibleAsync(); // the counts have been read
        var row = page.Locator("#workflows tr[data-workflow='parallel_approvals']");
        await Expect(row.GetByRole(AriaRole.Link, new() { Name = "Drawing of every possible flow of parallel_approvals" }))
            .ToHaveAttributeAsync("href", "/api/workflows/parallel_approvals/graph?format=html");

        var start = row.GetByRole(AriaRole.Button, new() { Name = "Start…" });
        await start.ClickAsync();
        await Expect(start).ToHaveAttributeAsync("aria-expanded", "true");
        var input = page.GetByLabel("Input for parallel_approvals (a JSON object)");
        await Expect(input).ToBeFocusedAsync();
        var form = page.GetByRole(AriaRole.Form, new() { Name = "Start parallel_approvals" });
        var error = form.Locator(".field-error");

        await input.FillAsync("{\"amount\": ");
        await form.GetByRole(AriaRole.Button, new() { Name = "Start run" }).ClickAsync();
        await Expect(error).ToContainTextAsync("The input is not valid JSON");
        await Expect(input).ToHaveAttributeAsync("aria-invalid", "true");
        await input.FillAsync("[1, 2]");
        await form.GetByRole(AriaRole.Button, new() { Name = "Start run" }).ClickAsync();
        await Expect(error).ToContainTextAsync("must be a JSON object");

        await input.FillAsync("{}");
        await form.GetByRole(AriaRole.Button, new() { Name = "Start run" }).ClickAsync();
        var started = form.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^run [0-9a-f]{32}$") });
        await Expect(started).ToBeVisibleAsync();
        await Expect(error).ToBeHiddenAsync();
        var runId = (await started.TextContentAsync())!["run ".Length..];

        // The new run is listed; its status follows the run from the one status stream, with no reload.
        var status = page.Locator($"#runs tr[data-run='{runId}'] .status");
        await Expect(status).ToHaveTextAsync("waiting");
        var waitingBefore = int.Parse(await page.Locator("#counts li[data-status='waiting'] strong").TextContentAsync() ?? "0");
        var completedBefore = int.Parse(await completedCount.TextContentAsync() ?? "");
        Assert.True(waitingBefore >= 1);

        foreach (var taskId in (await browser.WaitForTasksAsync(runId)).Values)
        {
            await browser.CompleteTaskAsync(taskId, new { approved = true, risk_level = "low" });
        }
        await Expect(status).ToHaveTextAsync("completed");
        await Expect(page.Locator("#counts li[data-status='waiting'] strong")).ToHaveTextAsync((waitingBefore - 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(completedCount).ToHaveTextAsync((completedBefore + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        // The counts are the server's totals (every run, not only the ones listed), kept in step by the stream.
        using (var api = browser.Api())
        {
            var counts = await api.GetFromJsonAsync<JsonElement>("/api/instances/counts");
            await Expect(page.Locator("#counts li[data-status='total'] strong")).ToHaveTextAsync(counts.GetProperty("total").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture));
            await Expect(completedCount).ToHaveTextAsync(counts.GetProperty("byStatus").GetProperty("completed").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        Assert.Equal(1, await page.EvaluateAsync<int>("() => performance.getEntriesByType('navigation').length"));

        await page.Locator($"#runs tr[data-run='{runId}'] a").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/instances/{runId}$"));
        await Expect(page.Locator("#run-status .status")).ToHaveTextAsync("completed");
        Assert.Empty(browser.PageErrors);
    }

    [Fact]
    public async Task Counts_ARunThatChangesWhileTheyAreRead_IsCountedOnce()
    {
        var page = await browser.SignInAsync("dana", "/tasks");
        // The first read of the counts is held until the new run's first change has reached the page.
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reads = 0;
        await page.RouteAsync("**/api/instances/counts", async route =>
        {
            if (Interlocked.Increment(ref reads) == 1)
            {
                await release.Task;
            }
            await route.ContinueAsync();
        });
        var listed = page.WaitForResponseAsync(response => response.Url.Contains("/api/instances?limit=", StringComparison.Ordinal));
        await page.GotoAsync("/");
        await Expect(page.Locator("#live")).ToHaveTextAsync("live");
        await listed; // answered before the run exists: the run's row can only come from the stream

        var runId = await browser.StartRunAsync("parallel_approvals");
        await Expect(page.Locator($"#runs tr[data-run='{runId}'] .status")).ToHaveTextAsync("waiting");
        await Expect(page.Locator("#counts")).ToHaveTextAsync("Counting…");
        release.SetResult();

        // The held answer includes the run and so does its change: the page reads again rather than count it twice.
        using var api = browser.Api();
        var counts = await api.GetFromJsonAsync<JsonElement>("/api/instances/counts");
        await Expect(page.Locator("#counts li[data-status='total'] strong")).ToHaveTextAsync(Text(counts.GetProperty("total")));
        await Expect(page.Locator("#counts li[data-status='waiting'] strong")).ToHaveTextAsync(Text(counts.GetProperty("byStatus").GetProperty("waiting")));
        Assert.Equal(2, Volatile.Read(ref reads));
        Assert.Empty(browser.PageErrors);
    }

    private static string Text(JsonElement number) => number.GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task RunsStartedElsewhere_AppearLive()
    {
        var page = await browser.SignInAsync("dana", "/");
        await Expect(page.Locator("#live")).ToHaveTextAsync("live");

        var runId = await browser.StartRunAsync("parallel_approvals");
        var row = page.Locator($"#runs tr[data-run='{runId}']");
        await Expect(row.Locator(".status")).ToHaveTextAsync("waiting");
        await Expect(row.Locator("td").Nth(1)).ToHaveTextAsync("parallel_approvals");

        using var api = browser.Api();
        using var response = await api.PostAsync($"/api/instances/{runId}/cancel", null);
        response.EnsureSuccessStatusCode();
        await Expect(row.Locator(".status")).ToHaveTextAsync("canceled");
        Assert.Empty(browser.PageErrors);
    }
}
