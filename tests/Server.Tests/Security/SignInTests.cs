using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Workflows.Definitions.Graph;
using Workflows.Server.Tests.Support;

namespace Workflows.Server.Tests.Security;

/// <summary>People sign in with a form post; the cookie then identifies them on the API, task completion included.</summary>
public sealed class SignInTests(SecureServerFactory factory) : IClassFixture<SecureServerFactory>
{
    private HttpClient Browser() => factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    private static Task<HttpResponseMessage> SignInAsync(HttpClient client, string user, string password, string returnUrl = "/tasks", string? origin = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/account/signin")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = user, ["password"] = password, ["returnUrl"] = returnUrl }),
        };
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }
        return client.SendAsync(request, Patience.Token());
    }

    [Fact]
    public async Task SignIn_WrongPassword_RedirectsBackWithAnError_AndSetsNoCookie()
    {
        using var browser = Browser();

        using var response = await SignInAsync(browser, "alice", "not-her-password");
        using var me = await browser.GetAsync("/api/me", Patience.Token());

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/signin?error=1&returnUrl=%2Ftasks", response.Headers.Location!.OriginalString);
        Assert.False(response.Headers.Contains("Set-Cookie"));
        await me.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task SignIn_UnknownUser_FailsLikeAWrongPassword()
    {
        using var browser = Browser();

        using var response = await SignInAsync(browser, "mallory", SecureServerFactory.PasswordOf("alice"));

        Assert.Equal("/signin?error=1&returnUrl=%2Ftasks", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task SignIn_RightPassword_SetsAStrictHttpOnlyCookie_AndApiMeNamesTheUser()
    {
        using var browser = Browser();

        using var response = await SignInAsync(browser, "alice", SecureServerFactory.PasswordOf("alice"));
        var me = await browser.GetFromJsonAsync<JsonElement>("/api/me", Patience.Token());

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/tasks", response.Headers.Location!.OriginalString);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("alice", me.GetProperty("name").GetString());
        Assert.Equal(["finance", "staff"], me.GetProperty("groups").EnumerateArray().Select(g => g.GetString()));
        Assert.False(me.GetProperty("development").GetBoolean());
    }

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example/")]
    [InlineData("")]
    public async Task SignIn_ReturnUrlNotOnThisServer_RedirectsHome(string returnUrl)
    {
        using var browser = Browser();

        using var response = await SignInAsync(browser, "alice", SecureServerFactory.PasswordOf("alice"), returnUrl);

        Assert.Equal("/", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task SignIn_PostedFromAnotherSite_Answers403_AndSetsNoCookie()
    {
        using var browser = Browser();

        using var response = await SignInAsync(browser, "alice", SecureServerFactory.PasswordOf("alice"), origin: "https://evil.example");

        await response.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task Cookie_CompletesATaskOfTheUsersGroup_AsTheUser_ButNotAnotherGroupsTask()
    {
        using var admin = factory.CreateClient(SecureServerFactory.AdminKey);
        var id = await admin.StartAsync(ParallelApprovals.Name);
        await factory.Engine.WaitForItemAsync(id, RunItemTypes.RunWaiting);
        var tasks = factory.Engine.Tasks.List(new TaskQuery { RunId = id }).ToDictionary(t => t.Step, t => t.Id);
        using var browser = Browser();
        using var signIn = await SignInAsync(browser, "alice", SecureServerFactory.PasswordOf("alice"));

        using var finance = await browser.PostAsync($"/api/tasks/{tasks["finance_approval"]}/complete", Api.Json("""{"approved": true, "budget_code": "OPS-1"}"""), Patience.Token());
        using var legal = await browser.PostAsync($"/api/tasks/{tasks["legal_approval"]}/complete", Api.Json("""{"approved": true}"""), Patience.Token());

        Assert.Equal(HttpStatusCode.OK, finance.StatusCode);
        Assert.Equal("alice", (await finance.ReadJsonAsync()).GetProperty("task").GetProperty("completedBy").GetString());
        await legal.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(HumanTaskStatus.Pending, factory.Engine.Tasks.Get(tasks["legal_approval"])!.Status);
    }

    [Fact]
    public async Task Cookie_OfAUserWithoutThePermission_Answers403()
    {
        using var browser = Browser();
        using var signIn = await SignInAsync(browser, "bob", SecureServerFactory.PasswordOf("bob"));

        using var read = await browser.GetAsync("/api/workflows", Patience.Token());
        using var start = await browser.PostStartAsync(ParallelApprovals.Name);

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        await start.AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task SignOut_RemovesTheCookie_ThenTheApiAnswers401()
    {
        using var browser = Browser();
        using var signIn = await SignInAsync(browser, "alice", SecureServerFactory.PasswordOf("alice"));

        using var signOut = await browser.PostAsync("/account/signout", null, Patience.Token());
        using var me = await browser.GetAsync("/api/me", Patience.Token());

        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal("/signin", signOut.Headers.Location!.OriginalString);
        await me.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task SignInPage_IsOpen_AndPostsTheContractsFields()
    {
        using var browser = Browser();

        var html = await browser.GetStringAsync("/signin?returnUrl=%2Ftasks", Patience.Token());

        Assert.Contains("action=\"/account/signin\"", html, StringComparison.Ordinal);
        Assert.Contains("name=\"username\"", html, StringComparison.Ordinal);
        Assert.Contains("name=\"password\"", html, StringComparison.Ordinal);
        Assert.Contains("name=\"returnUrl\" value=\"/tasks\"", html, StringComparison.Ordinal);
    }
}
