using System.Net;
using Workflows.Server.Tests.Support;

namespace Workflows.Server.Tests.Endpoints;

/// <summary>The HTML pages and their assets, served from the assembly with headers that keep data from running.</summary>
public sealed class PagesEndpointsTests(ServerFactory server) : IClassFixture<ServerFactory>
{
    private readonly HttpClient _client = server.CreateClient();

    [Theory]
    [InlineData("/", "/assets/dashboard.js")]
    [InlineData("/tasks", "/assets/inbox.js")]
    [InlineData("/tasks/some-task", "/assets/task.js")]
    [InlineData("/instances/some-run", "/assets/instance.js")]
    [InlineData("/signin", "/assets/signin.js")]
    public async Task Page_IsHtmlWithItsScript_AndAStrictContentSecurityPolicy(string path, string script)
    {
        using var response = await _client.GetAsync(path, Patience.Token());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains($"<script type=\"module\" src=\"{script}\"></script>", html, StringComparison.Ordinal);
        Assert.Contains("<link rel=\"stylesheet\" href=\"/assets/app.css\">", html, StringComparison.Ordinal);
        var policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        Assert.Equal("nosniff", string.Join("", response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
    }

    [Theory]
    [InlineData("/assets/app.css", "text/css")]
    [InlineData("/assets/common.js", "text/javascript")]
    [InlineData("/assets/schemaform.js", "text/javascript")]
    public async Task Asset_IsServedFromTheAssembly(string path, string type)
    {
        using var response = await _client.GetAsync(path, Patience.Token());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.ETag is not null || response.Content.Headers.LastModified is not null);
        Assert.NotEmpty(await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Pages_NeedNoFileFromElsewhere()
    {
        foreach (var path in new[] { "/", "/tasks", "/tasks/x", "/instances/x", "/signin" })
        {
            var html = await _client.GetStringAsync(path, Patience.Token());
            Assert.DoesNotContain("http://", html, StringComparison.Ordinal);
            Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task UnknownAsset_Is404()
    {
        using var response = await _client.GetAsync("/assets/nothing.js", Patience.Token());

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task GraphPage_Embedded_HasOnlyTheDrawingAndLegend()
    {
        var full = await _client.GetStringAsync("/api/workflows/parallel_approvals/graph?format=html", Patience.Token());
        var embedded = await _client.GetStringAsync("/api/workflows/parallel_approvals/graph?format=html&embed=true", Patience.Token());

        Assert.Contains("<h1>", full, StringComparison.Ordinal);
        Assert.Contains("Mermaid", full, StringComparison.Ordinal);
        Assert.DoesNotContain("<h1>", embedded, StringComparison.Ordinal);
        Assert.DoesNotContain("<pre>", embedded, StringComparison.Ordinal);
        Assert.Contains("<svg", embedded, StringComparison.Ordinal);
        Assert.Contains("class=\"legend\"", embedded, StringComparison.Ordinal);
    }
}
