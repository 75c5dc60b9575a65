using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Workflows.Server.Security;
using Workflows.Server.Tests.Endpoints;
using Workflows.Server.Tests.Support;

namespace Workflows.Server.Tests.Security;

/// <summary>Enforced mode: who gets in (401 for no key and for a key the server does not know) and what stays open.</summary>
public sealed class AuthenticationTests(SecureServerFactory factory) : IClassFixture<SecureServerFactory>
{
    /// <summary>Every route of docs/api.md but the open ones, with placeholder ids.</summary>
    public static TheoryData<string, string> ProtectedRoutes()
    {
        var data = new TheoryData<string, string>();
        foreach (var (method, path) in OpenApiTests.ApiReferenceRoutes())
        {
            if (path is "/health" or "/swagger" || path.StartsWith("/openapi", StringComparison.Ordinal) || path.StartsWith("/account", StringComparison.Ordinal))
            {
                continue;
            }
            data.Add(method, path.Replace("{name}", "parallel_notify", StringComparison.Ordinal).Replace("{id}", "0197c1d2e3f4", StringComparison.Ordinal));
        }
        return data;
    }

    private static HttpRequestMessage Request(string method, string path) =>
        new(new HttpMethod(method), path) { Content = method == "POST" ? Api.Json("{}") : null };

    [Theory]
    [MemberData(nameof(ProtectedRoutes))]
    public async Task NoKey_EveryApiRoute_Answers401Problem(string method, string path)
    {
        using var client = factory.CreateClient(key: null);

        using var response = await client.SendAsync(Request(method, path), Patience.Token());

        var problem = await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("X-Api-Key", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("X-Api-Key", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ProtectedRoutes))]
    public async Task UnknownKey_EveryApiRoute_Answers401Problem(string method, string path)
    {
        using var client = factory.CreateClient("not-a-key-this-server-knows");

        using var response = await client.SendAsync(Request(method, path), Patience.Token());

        var problem = await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("not one this server knows", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task KnownKey_ReadRoute_Answers200()
    {
        using var client = factory.CreateClient(SecureServerFactory.ReaderKey);

        using var response = await client.GetAsync("/api/workflows", Patience.Token());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task KeyHeaderTwice_Answers401()
    {
        using var client = factory.CreateClient(key: null);
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/workflows");
        request.Headers.Add(SecuritySchemes.ApiKeyHeader, [SecureServerFactory.ReaderKey, SecureServerFactory.AdminKey]);

        using var response = await client.SendAsync(request, Patience.Token());

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/openapi/v1.json")]
    [InlineData("/swagger/index.html")]
    public async Task NoKey_OpenRoutes_Answer200(string path)
    {
        using var client = factory.CreateClient(key: null);

        using var response = await client.GetAsync(path, Patience.Token());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task NoKey_ApiMe_Answers401_AndWithAKeyNamesTheKeysIdentity()
    {
        using var anonymous = factory.CreateClient(key: null);
        using var sam = factory.CreateClient(SecureServerFactory.SecurityApproverKey);

        using var refused = await anonymous.GetAsync("/api/me", Patience.Token());
        var me = await sam.GetFromJsonAsync<JsonElement>("/api/me", Patience.Token());

        await refused.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("sam", me.GetProperty("name").GetString());
        Assert.Equal(["security"], me.GetProperty("groups").EnumerateArray().Select(g => g.GetString()));
        Assert.Equal([Permissions.RunsRead, Permissions.TasksComplete], me.GetProperty("permissions").EnumerateArray().Select(g => g.GetString()));
        Assert.False(me.GetProperty("development").GetBoolean());
    }

    [Fact]
    public async Task NoKey_UnknownPage_RedirectsToSignIn_AndUnknownApiRouteAnswers401()
    {
        using var client = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var page = new HttpRequestMessage(HttpMethod.Get, "/tasks/abc");
        page.Headers.Accept.ParseAdd("text/html");

        using var redirected = await client.SendAsync(page, Patience.Token());
        using var api = await client.GetAsync("/api/nothing-here", Patience.Token());

        Assert.Equal(HttpStatusCode.Redirect, redirected.StatusCode);
        Assert.Equal("/signin", redirected.Headers.Location!.AbsolutePath);
        Assert.Contains("returnUrl=%2Ftasks%2Fabc", redirected.Headers.Location!.Query, StringComparison.Ordinal);
        await api.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheKeyScheme_OnProtectedRoutesOnly()
    {
        using var client = factory.CreateClient(key: null);

        var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json", Patience.Token());

        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey");
        Assert.Equal("apiKey", scheme.GetProperty("type").GetString());
        Assert.Equal("header", scheme.GetProperty("in").GetString());
        Assert.Equal("X-Api-Key", scheme.GetProperty("name").GetString());
        var paths = document.GetProperty("paths");
        var start = paths.GetProperty("/api/workflows/{name}/instances").GetProperty("post");
        Assert.True(start.GetProperty("security")[0].TryGetProperty("ApiKey", out _));
        Assert.True(start.GetProperty("responses").TryGetProperty("401", out _));
        Assert.True(start.GetProperty("responses").TryGetProperty("403", out _));
        Assert.True(start.GetProperty("responses").TryGetProperty("429", out _));
        Assert.False(paths.GetProperty("/health").GetProperty("get").TryGetProperty("security", out _));
    }
}
