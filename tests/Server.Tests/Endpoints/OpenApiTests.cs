using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Workflows.Server.Tests.Endpoints;

public sealed class OpenApiTests(ServerFactory factory) : IClassFixture<ServerFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task OpenApiDocument_Always_DescribesEveryRouteWithItsResponses()
    {
        var document = await _client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var paths = document.GetProperty("paths");
        var list = paths.GetProperty("/api/workflows").GetProperty("get");
        Assert.Equal("ListWorkflows", list.GetProperty("operationId").GetString());
        Assert.True(list.GetProperty("responses").TryGetProperty("200", out _));

        var one = paths.GetProperty("/api/workflows/{name}").GetProperty("get");
        Assert.Equal("GetWorkflow", one.GetProperty("operationId").GetString());
        Assert.Equal("Workflows", one.GetProperty("tags")[0].GetString());
        Assert.True(one.GetProperty("responses").TryGetProperty("200", out _));
        Assert.True(one.GetProperty("responses").GetProperty("404").GetProperty("content").TryGetProperty("application/problem+json", out _));
        Assert.Contains(one.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "version" && p.GetProperty("in").GetString() == "query");

        Assert.Equal("GetHealth", paths.GetProperty("/health").GetProperty("get").GetProperty("operationId").GetString());
    }

    [Fact]
    public async Task SwaggerUi_Always_ServesHtmlPointingAtTheOpenApiDocument()
    {
        var page = await _client.GetAsync("/swagger");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("swagger-ui", await page.Content.ReadAsStringAsync());

        var script = await _client.GetStringAsync("/swagger/index.js");
        Assert.Contains("\"url\":\"/openapi/v1.json\"", script);
    }
}
