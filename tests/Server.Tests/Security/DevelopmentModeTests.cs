using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Workflows.Server.Tests.Support;

namespace Workflows.Server.Tests.Security;

/// <summary>Development mode: no sign-in, every permission, the caller from X-User / X-Groups, and it says so loudly.</summary>
public sealed class DevelopmentModeTests
{
    [Fact]
    public async Task ApiMe_WithoutHeaders_IsTheDeveloperWithEveryPermission_AndSaysDevelopment()
    {
        using var factory = new LoggingDevelopmentFactory();
        using var client = factory.CreateClient();

        var me = await client.GetFromJsonAsync<JsonElement>("/api/me", Patience.Token());

        Assert.Equal("developer", me.GetProperty("name").GetString());
        Assert.Equal(4, me.GetProperty("permissions").GetArrayLength());
        Assert.True(me.GetProperty("development").GetBoolean());
        Assert.Contains(factory.Logs, line => line.StartsWith("Warning", StringComparison.Ordinal) && line.Contains("SECURITY IS OFF", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ApiMe_WithHeaders_IsWhoeverTheHeadersSay()
    {
        using var factory = new LoggingDevelopmentFactory();
        using var client = factory.CreateClient();
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/me");
        request.Headers.Add("X-User", "lea");
        request.Headers.Add("X-Groups", "legal, staff");

        using var response = await client.SendAsync(request, Patience.Token());
        var me = await response.ReadJsonAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("lea", me.GetProperty("name").GetString());
        Assert.Equal(["legal", "staff"], me.GetProperty("groups").EnumerateArray().Select(g => g.GetString()));
    }

    /// <summary>Development mode (the SecureServerFactory's users and keys stay configured, and are not needed).</summary>
    private sealed class LoggingDevelopmentFactory : SecureServerFactory
    {
        public LoggingDevelopmentFactory() => Settings["Workflows:Security:Mode"] = "Development";
    }
}
