using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Workflows.Pages.Tests;

/// <summary>
/// Three approvers answer the three tasks of one <c>parallel_approvals</c> run from the inbox, one of them first with a
/// form that is not complete; a fourth person watches the run's page, which follows to the end without a reload.
/// </summary>
[Collection(PagesCollection.Name)]
public sealed class ParallelApprovalsPagesTests(BrowserFixture fixture)
{
    private readonly BrowserFixture browser = fixture.ForgetPageErrors();

    [Fact]
    public async Task ThreeApprovers_AnswerFromTheInbox_RunPageFollowsToCompletedWithoutReload()
    {
        var runId = await browser.StartRunAsync("parallel_approvals");
        var tasks = await browser.WaitForTasksAsync(runId);
        Assert.Equal(["finance_approval", "legal_approval", "security_approval"], tasks.Keys.Order().ToArray());

        // The watcher opens the run once and never reloads.
        var watcher = await browser.SignInAsync("watcher", $"/instances/{runId}");
        var runStatus = watcher.Locator("#run-status .status");
        await Expect(runStatus).ToHaveTextAsync("waiting");
        await Expect(watcher.Locator("#open-tasks li")).ToHaveCountAsync(3);
        await Expect(watcher.Locator("#items li[data-type='run.waiting']")).ToHaveCountAsync(1);
        var graph = watcher.FrameLocator("#graph");
        await Expect(NodeTitle(graph, "legal_approval")).ToHaveTextAsync(new Regex("waiting"));

        // Legal: from the inbox to the form; approves with a comment. The run waits for the other two.
        var legal = await OpenFromInboxAsync("lee", tasks["legal_approval"], "Legal approval", notMine: tasks["finance_approval"]);
        await legal.GetByRole(AriaRole.Radio, new() { Name = "Yes" }).CheckAsync();
        var comments = legal.GetByLabel("comments");
        Assert.Equal("textarea", await comments.EvaluateAsync<string>("e => e.tagName.toLowerCase()")); // maxLength 2000
        await comments.FillAsync("Fine by legal.");
        await legal.GetByRole(AriaRole.Button, new() { Name = "Submit" }).ClickAsync();
        await Expect(legal.Locator(".success")).ToContainTextAsync("Your answer was recorded.");
        await Expect(legal.Locator("#run-status-after")).ToHaveTextAsync("waiting");
        await Expect(legal.GetByRole(AriaRole.Link, new() { Name = "Open the run" })).ToHaveAttributeAsync("href", $"/instances/{runId}");

        // The watcher's drawing turns legal's step done, live.
        await Expect(NodeTitle(graph, "legal_approval")).ToHaveTextAsync(new Regex("done"));
        await Expect(watcher.Locator("#open-tasks li")).ToHaveCountAsync(2);

        // Security: first without the risk level. The error shows next to that field; the choice made stays.
        var security = await OpenFromInboxAsync("sam", tasks["security_approval"], "Security approval", notMine: tasks["finance_approval"]);
        var yes = security.GetByRole(AriaRole.Radio, new() { Name = "Yes" });
        await yes.CheckAsync();
        await security.GetByRole(AriaRole.Button, new() { Name = "Submit" }).ClickAsync();
        var risk = security.GetByLabel("risk_level");
        await Expect(risk).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(ErrorOf(security, await risk.GetAttributeAsync("id"))).ToHaveTextAsync("is required");
        await Expect(security.Locator("#error-summary")).ToContainTextAsync("risk_level: is required");
        await Expect(yes).ToBeCheckedAsync();
        await Expect(security.Locator("#task-status")).ToHaveTextAsync("pending");

        await risk.SelectOptionAsync(new SelectOptionValue { Label = "low" });
        await security.GetByRole(AriaRole.Button, new() { Name = "Submit" }).ClickAsync();
        await Expect(security.Locator(".success")).ToContainTextAsync("Your answer was recorded.");
        await Expect(ErrorOf(security, await risk.GetAttributeAsync("id"))).ToBeHiddenAsync();

        // Finance answers last: the run completes.
        var finance = await OpenFromInboxAsync("fay", tasks["finance_approval"], "Finance approval", notMine: null); // the others are answered
        await finance.GetByRole(AriaRole.Radio, new() { Name = "Yes" }).CheckAsync();
        await finance.GetByLabel("budget_code").FillAsync("CC-42");
        await finance.GetByRole(AriaRole.Button, new() { Name = "Submit" }).ClickAsync();
        await Expect(finance.Locator("#run-status-after")).ToHaveTextAsync("completed");
        await Expect(finance.Locator(".success")).ToContainTextAsync("nothing more is needed from anyone");

        // The watcher sees the end, still on the same page load.
        await Expect(runStatus).ToHaveTextAsync("completed");
        await Expect(watcher.Locator("#items li[data-type='run.completed']")).ToHaveCountAsync(1);
        await Expect(watcher.Locator("#open-tasks")).ToHaveTextAsync("None.");
        await Expect(watcher.Locator("#run-outcome pre")).ToContainTextAsync("\"all_approved\": true");
        await Expect(NodeTitle(graph, "security_approval")).ToHaveTextAsync(new Regex("done"));
        await Expect(NodeTitle(graph, "check_approvals")).ToHaveTextAsync(new Regex("done"));
        await Expect(watcher.Locator("#steps tbody tr[data-step='check_approvals'] td").Nth(1)).ToHaveTextAsync("completed");
        Assert.Equal(1, await watcher.EvaluateAsync<int>("() => performance.getEntriesByType('navigation').length"));

        // What the pages sent is what the run holds.
        using var api = browser.Api();
        var run = await api.GetFromJsonAsync<JsonElement>($"/api/instances/{runId}");
        Assert.Equal("completed", run.GetProperty("status").GetString());
        Assert.Equal("Fine by legal.", run.GetProperty("state").GetProperty("legal_approval").GetProperty("comments").GetString());
        Assert.Equal("CC-42", run.GetProperty("state").GetProperty("finance_approval").GetProperty("budget_code").GetString());
        Assert.Equal("low", run.GetProperty("state").GetProperty("security_approval").GetProperty("risk_level").GetString());
        Assert.True(run.GetProperty("state").GetProperty("all_approved").GetBoolean());
        Assert.Empty(browser.PageErrors);
    }

    /// <summary>
    /// Signs in as one approver on the inbox, which lists their group's task and not <paramref name="notMine"/> (another
    /// group's, until they ask for every open task), and follows the task's link to its form.
    /// </summary>
    private async Task<IPage> OpenFromInboxAsync(string user, string taskId, string title, string? notMine)
    {
        var page = await browser.SignInAsync(user, "/tasks");
        await Expect(page.Locator("#inbox-for")).ToContainTextAsync($"Open tasks for {user}");
        await Expect(page.Locator($"tr[data-task='{taskId}']")).ToBeVisibleAsync();
        if (notMine is not null)
        {
            await Expect(page.Locator($"tr[data-task='{notMine}']")).ToHaveCountAsync(0);
            await page.GetByLabel("Show").SelectOptionAsync("all");
            await Expect(page.Locator($"tr[data-task='{notMine}']")).ToBeVisibleAsync();
            await page.GetByLabel("Show").SelectOptionAsync("mine");
        }
        var link = page.Locator($"tr[data-task='{taskId}'] td").First.GetByRole(AriaRole.Link, new() { Name = title, Exact = true });
        await Expect(link).ToBeVisibleAsync();
        await link.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/tasks/{taskId}$"));
        await Expect(page.Locator("h1")).ToHaveTextAsync(title);
        return page;
    }

    /// <summary>The tooltip of a node of the run's drawing: "name: kind, ..., state".</summary>
    private static ILocator NodeTitle(IFrameLocator graph, string step) => graph.Locator("g > title", new() { HasTextRegex = new Regex($"^{step}:") });

    private static ILocator ErrorOf(IPage page, string? controlId) => page.Locator($"#{controlId}-error");
}
