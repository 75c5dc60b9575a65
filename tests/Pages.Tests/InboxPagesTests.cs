using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Workflows.Pages.Tests;

/// <summary>The inbox: open tasks, overdue ones marked, filters; it takes in new tasks as runs start waiting.</summary>
[Collection(PagesCollection.Name)]
public sealed class InboxPagesTests(BrowserFixture fixture)
{
    private readonly BrowserFixture browser = fixture.ForgetPageErrors();

    [Fact]
    public async Task OverdueTasksAreMarked_FiltersNarrowTheList_NewTasksAppearWithoutReload()
    {
        var overdueRun = await browser.StartRunAsync(TestDefinitions.Overdue);
        var overdueTask = (await browser.WaitForTasksAsync(overdueRun))["late"];
        var page = await browser.SignInAsync("olga", "/tasks");

        var overdueRow = page.Locator($"tr[data-task='{overdueTask}']");
        await Expect(overdueRow.Locator(".badge-overdue")).ToHaveTextAsync("Overdue");
        await Expect(overdueRow).ToHaveClassAsync("overdue");

        // A task that opens while the page is open appears (its run starts waiting: the status stream says so).
        var claimRun = await browser.StartRunAsync(TestDefinitions.Checked);
        var claimTask = (await browser.WaitForTasksAsync(claimRun))["fill_in"];
        var claimRow = page.Locator($"tr[data-task='{claimTask}']");
        await Expect(claimRow).ToBeVisibleAsync();
        await Expect(claimRow.Locator(".badge-overdue")).ToHaveCountAsync(0);
        await Expect(claimRow.Locator("td").Nth(2)).ToHaveTextAsync("group claims");

        await page.GetByLabel("Overdue only").CheckAsync();
        await Expect(claimRow).ToHaveCountAsync(0);
        await Expect(overdueRow).ToBeVisibleAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("overdue=true"));
        await page.GetByLabel("Overdue only").UncheckAsync();

        await page.GetByLabel("Workflow").SelectOptionAsync(TestDefinitions.Checked);
        await Expect(overdueRow).ToHaveCountAsync(0);
        await Expect(claimRow).ToBeVisibleAsync();
        await page.GetByLabel("Workflow").SelectOptionAsync("");

        await page.GetByLabel("Search").FillAsync("answer at once");
        await Expect(claimRow).ToHaveCountAsync(0);
        await Expect(overdueRow).ToBeVisibleAsync();
        Assert.Empty(browser.PageErrors);
    }
}
