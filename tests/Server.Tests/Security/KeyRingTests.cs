using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Workflows.Server.Tests.Support;

namespace Workflows.Server.Tests.Security;

/// <summary>
/// With <c>Workflows:Security:KeyRingDirectory</c> the keys protecting sign-in cookies are files: a server started
/// later (a restart) accepts a cookie the first one issued; without the shared directory it would not.
/// </summary>
public sealed class KeyRingTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"workflows-keyring-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task SignInCookie_IsAcceptedAfterARestart_WhenTheKeyRingIsADirectory()
    {
        string cookie;
        using (var before = Server(_directory))
        {
            cookie = await SignInAsync(before);
        }

        using var after = Server(_directory);
        using var me = await MeAsync(after, cookie);

        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        var body = JsonDocument.Parse(await me.Content.ReadAsStringAsync(Patience.Token())).RootElement;
        Assert.Equal("alice", body.GetProperty("name").GetString());
        Assert.NotEmpty(Directory.GetFiles(_directory, "*.xml"));
    }

    [Fact]
    public async Task SignInCookie_IsRefusedByAServerWithAnotherKeyRing()
    {
        string cookie;
        using (var before = Server(_directory))
        {
            cookie = await SignInAsync(before);
        }

        using var other = Server(_directory + "-other");
        try
        {
            using var me = await MeAsync(other, cookie);

            await me.AssertProblemAsync(HttpStatusCode.Unauthorized);
        }
        finally
        {
            Directory.Delete(_directory + "-other", recursive: true);
        }
    }

    private static SecureServerFactory Server(string keyRing)
    {
        var server = new SecureServerFactory();
        server.Settings["Workflows:Security:KeyRingDirectory"] = keyRing;
        return server;
    }

    private static async Task<string> SignInAsync(SecureServerFactory server)
    {
        using var client = server.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var response = await client.PostAsync("/account/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = "alice",
            ["password"] = SecureServerFactory.PasswordOf("alice"),
            ["returnUrl"] = "/",
        }), Patience.Token());
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.GetValues("Set-Cookie").Single().Split(';')[0];
    }

    private static Task<HttpResponseMessage> MeAsync(SecureServerFactory server, string cookie)
    {
        var client = server.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/me");
        request.Headers.Add("Cookie", cookie);
        return client.SendAsync(request, Patience.Token());
    }
}
