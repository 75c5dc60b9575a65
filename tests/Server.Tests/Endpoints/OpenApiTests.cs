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

    /// <summary>
    /// Every <c>| METHOD `/path` |</c> row of docs/api.md (the route table of the contract, ../shared/design/api.md,
    /// as this server implements it) is an operation of the OpenAPI document, with a summary, a tag and at least one
    /// problem response, except the document and Swagger UI themselves.
    /// </summary>
    [Fact]
    public async Task OpenApiDocument_Always_ListsEveryRouteOfTheApiReference()
    {
        var document = await _client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = document.GetProperty("paths");
        var routes = ApiReferenceRoutes();

        Assert.True(routes.Count >= 14, $"docs/api.md lists only {routes.Count} routes.");
        foreach (var (method, path) in routes.Where(r => !r.Path.StartsWith("/openapi", StringComparison.Ordinal) && r.Path != "/swagger"))
        {
            Assert.True(paths.TryGetProperty(path, out var item), $"The OpenAPI document has no path {path}.");
            Assert.True(item.TryGetProperty(method.ToLowerInvariant(), out var operation), $"The OpenAPI document has no {method} {path}.");
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("summary").GetString()), $"{method} {path} has no summary.");
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("operationId").GetString()), $"{method} {path} has no name.");
            Assert.True(operation.GetProperty("tags").GetArrayLength() > 0, $"{method} {path} has no tag.");
            Assert.True(operation.GetProperty("responses").EnumerateObject().Any(r => r.Name[0] is '2' or '3'), $"{method} {path} documents no success (or redirect).");
            if (path != "/api/workflows")
            {
                Assert.True(operation.GetProperty("responses").EnumerateObject().Any(r => r.Value.TryGetProperty("content", out var c) && c.TryGetProperty("application/problem+json", out _)),
                    $"{method} {path} documents no problem response.");
            }
        }
        // ...and nothing the reference does not list.
        var documented = paths.EnumerateObject().SelectMany(p => p.Value.EnumerateObject().Select(o => (o.Name.ToUpperInvariant(), p.Name))).ToHashSet();
        Assert.Equal(documented.Order(), routes.Where(r => documented.Contains(r)).Order());
    }

    [Fact]
    public async Task OpenApiDocument_BodiesAndStreams_CarryExamplesAndTheirMediaTypes()
    {
        var paths = (await _client.GetFromJsonAsync<JsonElement>("/openapi/v1.json")).GetProperty("paths");

        var start = paths.GetProperty("/api/workflows/{name}/instances").GetProperty("post");
        Assert.True(start.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").TryGetProperty("example", out _));
        Assert.True(start.GetProperty("responses").GetProperty("409").GetProperty("content").GetProperty("application/problem+json").TryGetProperty("example", out _));
        Assert.Contains(start.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "wait");
        var events = paths.GetProperty("/api/instances/{id}/events").GetProperty("get");
        var eventAnswers = events.GetProperty("responses").GetProperty("200").GetProperty("content");
        Assert.True(eventAnswers.TryGetProperty("text/event-stream", out _));
        Assert.True(eventAnswers.TryGetProperty("application/json", out _));
        Assert.Contains(events.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "Last-Event-ID" && p.GetProperty("in").GetString() == "header");
        var graph = paths.GetProperty("/api/workflows/{name}/graph").GetProperty("get").GetProperty("responses").GetProperty("200").GetProperty("content");
        Assert.Equal(["application/json", "text/html", "text/plain"], graph.EnumerateObject().Select(c => c.Name).Order());
        var complete = paths.GetProperty("/api/tasks/{id}/complete").GetProperty("post");
        Assert.DoesNotContain(complete.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("in").GetString() == "header");
        Assert.True(complete.GetProperty("responses").GetProperty("422").GetProperty("content").GetProperty("application/problem+json").TryGetProperty("example", out _));
    }

    /// <summary>The (method, path) of every route row of docs/api.md, query strings dropped.</summary>
    internal static IReadOnlyList<(string Method, string Path)> ApiReferenceRoutes()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Workflows.sln")))
        {
            directory = directory.Parent;
        }
        Assert.NotNull(directory);
        var text = File.ReadAllText(Path.Combine(directory.FullName, "docs", "api.md"));
        return System.Text.RegularExpressions.Regex.Matches(text, @"^\| (GET|POST|PUT|PATCH|DELETE) `([^`?]+)[^`]*` \|", System.Text.RegularExpressions.RegexOptions.Multiline)
            .Select(m => (m.Groups[1].Value, m.Groups[2].Value))
            .Distinct()
            .ToArray();
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
