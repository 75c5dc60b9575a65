using System.Net;
using Workflows.Server.Tests.Doubles;
using Workflows.Server.Tests.Support;

namespace Workflows.Server.Tests.Security;

/// <summary>Run starts are rate-limited per caller: over the burst, 429 with Retry-After; other callers are not affected.</summary>
public sealed class RateLimitTests : IDisposable
{
    private readonly SecureServerFactory _factory = new();

    public RateLimitTests()
    {
        // Two starts at once, then one every 100 s: the third start within the test is over the limit.
        _factory.Settings["Workflows:Server:RunStartBurst"] = "2";
        _factory.Settings["Workflows:Server:RunStartsPerSecond"] = "0.01";
    }

    [Fact]
    public async Task Starts_OverTheBurst_Answer429WithRetryAfter_PerKey()
    {
        using var starter = _factory.CreateClient(SecureServerFactory.StarterKey);
        using var admin = _factory.CreateClient(SecureServerFactory.AdminKey);
        var body = """{"input": {"name": "Ada"}}""";

        using var first = await starter.PostStartAsync(GreeterWorkflow.WorkflowName, body);
        using var second = await starter.PostStartAsync(GreeterWorkflow.WorkflowName, body);
        using var third = await starter.PostStartAsync(GreeterWorkflow.WorkflowName, body);
        using var otherKey = await admin.PostStartAsync(GreeterWorkflow.WorkflowName, body);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        var problem = await third.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Contains("Retry after", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var retryAfter = third.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value.TotalSeconds, 1, 100);
        Assert.Equal(HttpStatusCode.Created, otherKey.StatusCode);
    }

    [Fact]
    public async Task ReadRoutes_AreNotLimitedByTheStartLimit()
    {
        using var starter = _factory.CreateClient(SecureServerFactory.StarterKey);

        for (var i = 0; i < 5; i++)
        {
            using var response = await starter.GetAsync("/api/workflows", Patience.Token());
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task SignIns_OverTheLimit_Answer429WithRetryAfter_EvenWithTheRightPassword()
    {
        _factory.Settings["Workflows:Security:SignInAttemptsPerMinute"] = "3";
        using var browser = _factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        Task<HttpResponseMessage> SignInAsync(string password) => browser.PostAsync("/account/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = "alice",
            ["password"] = password,
            ["returnUrl"] = "/",
        }), Patience.Token());

        var guesses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var guess = await SignInAsync($"guess-{i}");
            guesses.Add(guess.StatusCode);
        }
        using var limited = await SignInAsync(SecureServerFactory.PasswordOf("alice"));

        Assert.All(guesses, status => Assert.Equal(HttpStatusCode.Redirect, status));
        var problem = await limited.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal("Too many sign-in attempts", problem.GetProperty("title").GetString());
        Assert.NotNull(limited.Headers.RetryAfter?.Delta);
        Assert.False(limited.Headers.Contains("Set-Cookie"));
    }

    public void Dispose() => _factory.Dispose();
}
