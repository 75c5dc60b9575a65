using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Workflows.Pages.Tests;

/// <summary>
/// Pictures of the main pages for the README. They are written to docs/screenshots/ only when
/// <c>WORKFLOWS_SCREENSHOTS=1</c> (so an ordinary test run leaves the tree alone), else to the test's output folder:
/// <c>WORKFLOWS_SCREENSHOTS=1 dotnet test tests/Pages.Tests --filter ScreenshotTests</c>.
/// </summary>
[Collection(PagesCollection.Name)]
public sealed class ScreenshotTests(BrowserFixture browser)
{
    [Fact]
    public async Task MainPages_AreCaptured()
    {
        var folder = Folder();
        var runId = await browser.StartRunAsync("parallel_approvals");
        var tasks = await browser.WaitForTasksAsync(runId);
        await browser.CompleteTaskAsync(tasks["legal_approval"], new { approved = true, comments = "Fine by legal." });
        var checkedRun = await browser.StartRunAsync(TestDefinitions.Checked);
        var checkedTask = (await browser.WaitForTasksAsync(checkedRun))["fill_in"];

        var page = await browser.SignInAsync("sam", "/", width: 1100, height: 800);
        await Expect(page.Locator($"#runs tr[data-run='{runId}'] .status")).ToHaveTextAsync("waiting");
        await Expect(page.Locator("#counts li[data-status='total']")).ToBeVisibleAsync();
        await Save(page, folder, "dashboard.png");

        await page.GotoAsync("/tasks");
        await Expect(page.Locator($"tr[data-task='{tasks["security_approval"]}']")).ToBeVisibleAsync();
        await Save(page, folder, "inbox.png");

        var claims = await browser.SignInAsync("cleo", $"/tasks/{checkedTask}", width: 1100, height: 800);
        await claims.GetByLabel("Cost code").FillAsync("abc");
        await claims.GetByLabel("Amount").FillAsync("5");
        await claims.GetByRole(AriaRole.Button, new() { Name = "Submit" }).ClickAsync();
        await Expect(claims.Locator("#error-summary h2")).ToHaveTextAsync("The server did not accept the answer");
        await Save(claims, folder, "task-form-errors.png");

        await page.GotoAsync($"/instances/{runId}");
        await Expect(page.Locator("#run-status .status")).ToHaveTextAsync("waiting");
        await Expect(page.FrameLocator("#graph").Locator("svg")).ToBeVisibleAsync();
        await Save(page, folder, "run.png");

        var phone = await browser.SignInAsync("sam", $"/tasks/{tasks["security_approval"]}", width: 390, height: 844);
        await Expect(phone.GetByLabel("risk_level")).ToBeVisibleAsync();
        await Save(phone, folder, "task-form-phone.png");

        foreach (var name in new[] { "dashboard.png", "inbox.png", "task-form-errors.png", "run.png", "task-form-phone.png" })
        {
            Assert.True(new FileInfo(Path.Combine(folder, name)).Length > 10_000, $"{name} is too small to show anything");
        }
    }

    private static Task Save(IPage page, string folder, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name), FullPage = true, Animations = ScreenshotAnimations.Disabled });

    private static string Folder()
    {
        if (Environment.GetEnvironmentVariable("WORKFLOWS_SCREENSHOTS") == "1")
        {
            var root = new DirectoryInfo(AppContext.BaseDirectory);
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "Workflows.sln")))
            {
                root = root.Parent;
            }
            var docs = Path.Combine(root?.FullName ?? throw new InvalidOperationException("Workflows.sln not found above the test output."), "docs", "screenshots");
            Directory.CreateDirectory(docs);
            return docs;
        }
        var output = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(output);
        return output;
    }
}
