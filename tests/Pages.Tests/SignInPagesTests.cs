using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Workflows.Pages.Tests;

/// <summary>Signing in and out through the pages, the header, and what a person without a permission sees.</summary>
[Collection(PagesCollection.Name)]
public sealed class SignInPagesTests(BrowserFixture fixture)
{
    private readonly BrowserFixture browser = fixture.ForgetPageErrors();

    [Fact]
    public async Task AnonymousVisit_GoesToSignIn_AWrongPasswordIsSaid_ThenBackToThePage_AndSignOutEndsIt()
    {
        var page = await browser.OpenAnonymousAsync();
        await page.GotoAsync("/tasks?overdue=true");
        await Expect(page).ToHaveURLAsync(new Regex("/signin\\?returnUrl=%2Ftasks%3Foverdue%3Dtrue$"));
        await Expect(page.Locator("#signin-error")).ToBeHiddenAsync();
        await Expect(page.GetByLabel("User name")).ToBeFocusedAsync();

        await page.GetByLabel("User name").FillAsync("lee");
        await page.GetByLabel("Password").FillAsync("not the password");
        await page.GetByLabel("Password").PressAsync("Enter");
        await Expect(page).ToHaveURLAsync(new Regex("/signin\\?error=1&returnUrl=%2Ftasks%3Foverdue%3Dtrue$"));
        await Expect(page.Locator("#signin-error")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("The user name or password is not right. Try again.");

        await page.GetByLabel("User name").FillAsync("lee");
        await page.GetByLabel("Password").FillAsync(PagesServer.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Uri(browser.Server.BaseAddress, "/tasks?overdue=true").ToString());
        await Expect(page.Locator("#who-name")).ToHaveTextAsync("Signed in as lee (legal)");
        await Expect(page.Locator("#inbox-for")).ToHaveTextAsync("Open tasks for lee and the group legal.");
        await Expect(page.GetByLabel("Overdue only")).ToBeCheckedAsync();
        await Expect(page.Locator("#banner")).ToBeHiddenAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/signin$"));
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(new Regex("/signin\\?returnUrl=%2F$"));
        Assert.Empty(browser.PageErrors);
    }

    [Fact]
    public async Task APersonWithoutTheRightToAnswer_IsToldTheAnswerWasNotRecorded()
    {
        var runId = await browser.StartRunAsync(TestDefinitions.Overdue);
        var taskId = (await browser.WaitForTasksAsync(runId))["late"];
        var page = await browser.SignInAsync("watcher", $"/tasks/{taskId}");

        await page.GetByLabel("ok").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Submit" }).ClickAsync();

        await Expect(page.Locator("#error-summary h2")).ToHaveTextAsync("The answer was not recorded");
        await Expect(page.Locator("#error-summary")).ToContainTextAsync("tasks:complete");
        await Expect(page.GetByLabel("ok")).ToBeCheckedAsync();
        Assert.Empty(browser.PageErrors);
    }

    [Fact]
    public async Task DevelopmentMode_ShowsTheBanner_AndNeedsNoSignIn()
    {
        await using var development = new PagesServer(development: true);
        var page = await browser.OpenAnonymousAsync(development);

        await page.GotoAsync("/tasks");

        await Expect(page).ToHaveURLAsync(new Regex("/tasks$"));
        await Expect(page.Locator("#banner")).ToBeVisibleAsync();
        await Expect(page.Locator("#banner")).ToContainTextAsync("Development mode");
        await Expect(page.Locator("#who-name")).ToHaveTextAsync("Signed in as developer");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
        Assert.Empty(browser.PageErrors);
    }
}
