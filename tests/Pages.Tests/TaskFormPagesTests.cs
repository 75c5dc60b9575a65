using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Workflows.Pages.Tests;

/// <summary>The form generated from a task's JSON Schema: its controls, the checks on both sides, and escaping.</summary>
[Collection(PagesCollection.Name)]
public sealed class TaskFormPagesTests(BrowserFixture fixture)
{
    private readonly BrowserFixture browser = fixture.ForgetPageErrors();

    [Fact]
    public async Task Form_HasAControlPerSchemaType_ServerErrorsShowNextToTheirFields_TypedValuesStay()
    {
        var runId = await browser.StartRunAsync(TestDefinitions.Checked);
        var taskId = (await browser.WaitForTasksAsync(runId))["fill_in"];
        var page = await browser.SignInAsync("cleo", $"/tasks/{taskId}");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Fill in the claim");

        var code = page.GetByLabel("Cost code");
        var amount = page.GetByLabel("Amount");
        var notes = page.GetByLabel("Notes");
        var urgent = page.GetByLabel("Urgent");
        var email = page.GetByRole(AriaRole.Group, new() { Name = "Contact" }).GetByLabel("Email");
        await Expect(code).ToHaveAttributeAsync("aria-required", "true");
        await Expect(code).ToHaveAccessibleDescriptionAsync(new Regex("Three capitals, a dash, three digits."));
        await Expect(amount).ToHaveAttributeAsync("type", "number");
        await Expect(amount).ToHaveAttributeAsync("min", "1");
        await Expect(amount).ToHaveAttributeAsync("max", "100");
        Assert.Equal("textarea", await notes.EvaluateAsync<string>("e => e.tagName.toLowerCase()"));
        await Expect(urgent).ToHaveAttributeAsync("type", "checkbox");
        await Expect(page.Locator("label[for] .req")).ToHaveCountAsync(3); // code, amount, contact/email
        await Expect(page.Locator("legend .req")).ToHaveCountAsync(0);

        // The page's own check: an amount over the maximum never reaches the server.
        await code.FillAsync("abc");
        await amount.FillAsync("500");
        await notes.FillAsync("First line\nsecond line");
        await urgent.CheckAsync();
        await email.FillAsync("cleo@example.com");
        await page.GetByRole(AriaRole.Button, new() { Name = "Submit" }).ClickAsync();
        await Expect(page.Locator("#error-summary h2")).ToHaveTextAsync("Please correct the form");
        await Expect(ErrorOf(page, await amount.GetAttributeAsync("id"))).ToHaveTextAsync("must be at most 100");
        await Expect(ErrorOf(page, await code.GetAttributeAsync("id"))).ToBeHiddenAsync();

        // The pattern is left to the server: its 422 error shows next to the code, and every typed value stays.
        await amount.FillAsync("5");
        await page.GetByRole(AriaRole.Button, new() { Name = "Submit" }).ClickAsync();
        await Expect(page.Locator("#error-summary h2")).ToHaveTextAsync("The server did not accept the answer");
        var codeError = ErrorOf(page, await code.GetAttributeAsync("id"));
        await Expect(codeError).ToBeVisibleAsync();
        await Expect(codeError).ToContainTextAsync(new Regex("pattern|match", RegexOptions.IgnoreCase));
        await Expect(code).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(code).ToHaveAccessibleDescriptionAsync(new Regex("pattern|match", RegexOptions.IgnoreCase));
        await Expect(ErrorOf(page, await amount.GetAttributeAsync("id"))).ToBeHiddenAsync();
        await Expect(code).ToHaveValueAsync("abc");
        await Expect(amount).ToHaveValueAsync("5");
        await Expect(notes).ToHaveValueAsync("First line\nsecond line");
        await Expect(urgent).ToBeCheckedAsync();
        await Expect(email).ToHaveValueAsync("cleo@example.com");

        // Corrected: recorded, and the page says what became of the run and links to it.
        await code.FillAsync("ABC-123");
        await page.GetByRole(AriaRole.Button, new() { Name = "Submit" }).ClickAsync();
        await Expect(page.Locator(".success")).ToContainTextAsync("Your answer was recorded.");
        await Expect(page.Locator("#run-status-after")).ToHaveTextAsync("completed");
        await Expect(codeError).ToBeHiddenAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Open the run" }).ClickAsync();
        await Expect(page.Locator("#run-status .status")).ToHaveTextAsync("completed");

        using var api = browser.Api();
        var run = await api.GetFromJsonAsync<JsonElement>($"/api/instances/{runId}");
        var answer = run.GetProperty("state").GetProperty("fill_in");
        Assert.Equal("ABC-123", answer.GetProperty("code").GetString());
        Assert.Equal(5, answer.GetProperty("amount").GetInt32());
        Assert.Equal("First line\nsecond line", answer.GetProperty("notes").GetString());
        Assert.True(answer.GetProperty("urgent").GetBoolean());
        Assert.Equal("cleo@example.com", answer.GetProperty("contact").GetProperty("email").GetString());
        Assert.Empty(browser.PageErrors);
    }

    [Fact]
    public async Task Markup_InTitlesDescriptionsAndEnumValues_IsShownAsText_AndNothingRuns()
    {
        var runId = await browser.StartRunAsync(TestDefinitions.Hostile);
        var taskId = (await browser.WaitForTasksAsync(runId))["review"];
        var page = await browser.SignInAsync("rita", "/tasks");

        var link = page.Locator($"tr[data-task='{taskId}'] a").First;
        await Expect(link).ToHaveTextAsync(TestDefinitions.ScriptTitle);
        await link.ClickAsync();

        await Expect(page.Locator("h1")).ToHaveTextAsync(TestDefinitions.ScriptTitle);
        await Expect(page.Locator("#task-description")).ToHaveTextAsync(TestDefinitions.ImageDescription);
        var decision = page.GetByRole(AriaRole.Combobox, new() { Name = TestDefinitions.ScriptFieldTitle });
        await Expect(decision).ToBeVisibleAsync();
        await Expect(decision).ToHaveAccessibleDescriptionAsync(new Regex(Regex.Escape(TestDefinitions.ScriptEnumDescription)));
        await Expect(decision.Locator("option")).ToHaveTextAsync(["— choose —", TestDefinitions.ScriptEnumValue, "plain"]);
        await Expect(page.GetByLabel("priority").Locator("option")).ToHaveTextAsync(["— none —", TestDefinitions.ScriptOptionTitle, "Low"]);

        // Nothing was parsed as markup: no element came from the data, and no script ran.
        var main = page.Locator("main");
        await Expect(main.Locator("script, img, b")).ToHaveCountAsync(0);
        Assert.True(await page.EvaluateAsync<bool>("() => window.pwned === undefined"));

        // The value itself goes back to the server as the text it is.
        await decision.SelectOptionAsync(new SelectOptionValue { Label = TestDefinitions.ScriptEnumValue });
        await page.GetByLabel("priority").SelectOptionAsync(new SelectOptionValue { Label = TestDefinitions.ScriptOptionTitle });
        await page.GetByRole(AriaRole.Button, new() { Name = "Submit" }).ClickAsync();
        await Expect(page.Locator("#run-status-after")).ToHaveTextAsync("completed");

        // The run's page shows the same text in its stream items, as text.
        await page.GotoAsync($"/instances/{runId}");
        await Expect(page.Locator("#run-status .status")).ToHaveTextAsync("completed");
        await Expect(page.Locator("#items li[data-type='task.created'] pre")).ToContainTextAsync("window.pwned = 1");
        await Expect(main.Locator("script, img, b")).ToHaveCountAsync(0);
        Assert.True(await page.EvaluateAsync<bool>("() => window.pwned === undefined"));

        using var api = browser.Api();
        var run = await api.GetFromJsonAsync<JsonElement>($"/api/instances/{runId}");
        Assert.Equal(TestDefinitions.ScriptEnumValue, run.GetProperty("state").GetProperty("review").GetProperty("decision").GetString());
        Assert.Equal("high", run.GetProperty("state").GetProperty("review").GetProperty("priority").GetString());
        Assert.Empty(browser.PageErrors);
    }

    [Fact]
    public async Task Form_AtPhoneWidth_FitsTheScreen_AndWorksByKeyboard()
    {
        var runId = await browser.StartRunAsync(TestDefinitions.Checked);
        var taskId = (await browser.WaitForTasksAsync(runId))["fill_in"];
        var page = await browser.SignInAsync("kim", $"/tasks/{taskId}", width: 390, height: 844);
        await Expect(page.GetByLabel("Cost code")).ToBeVisibleAsync();
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"),
            "the task page scrolls sideways at phone width");

        // Tab from the code field through the form and submit with Enter: no mouse.
        await page.GetByLabel("Cost code").FocusAsync();
        await page.Keyboard.TypeAsync("XYZ-789");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync("7");
        await page.Keyboard.PressAsync("Tab"); // notes
        await page.Keyboard.PressAsync("Tab"); // urgent
        await page.Keyboard.PressAsync("Space");
        await page.Keyboard.PressAsync("Tab"); // email
        await page.Keyboard.TypeAsync("kim@example.com");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#run-status-after")).ToHaveTextAsync("completed");
        await Expect(page.Locator("#outcome")).ToBeFocusedAsync();
        Assert.Empty(browser.PageErrors);
    }

    private static ILocator ErrorOf(IPage page, string? controlId) => page.Locator($"#{controlId}-error");
}
