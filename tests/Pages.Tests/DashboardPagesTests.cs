using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Workflows.Pages.Tests;

/// <summary>The dashboard: the catalogue, starting a run with a checked input, runs whose status follows live.</summary>
[Collection(PagesCollection.Name)]
public sealed class DashboardPagesTests(BrowserFixture fixture)
{
    private readonly BrowserFixture browser = fixture.ForgetPageErrors();

    [Fact]
    public async Task StartsARun_RefusesBadJsonFirst_ThenShowsItsStatusLive()
    {
        var page = await browser.SignInAsync("dana", "/");
        await Expect(page.Locator("#live")).ToHaveTextAsync("live");
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
        Assert.True(waitingBefore >= 1);

        foreach (var taskId in (await browser.WaitForTasksAsync(runId)).Values)
        {
            await browser.CompleteTaskAsync(taskId, new { approved = true, risk_level = "low" });
        }
        await Expect(status).ToHaveTextAsync("completed");
        await Expect(page.Locator("#counts li[data-status='waiting'] strong")).ToHaveTextAsync((waitingBefore - 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(1, await page.EvaluateAsync<int>("() => performance.getEntriesByType('navigation').length"));

        await page.Locator($"#runs tr[data-run='{runId}'] a").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/instances/{runId}$"));
        await Expect(page.Locator("#run-status .status")).ToHaveTextAsync("completed");
        Assert.Empty(browser.PageErrors);
    }

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
