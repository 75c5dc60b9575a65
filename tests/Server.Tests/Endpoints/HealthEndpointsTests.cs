using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Workflows.Server.Tests.Endpoints;

public sealed class HealthEndpointsTests(ServerFactory factory) : IClassFixture<ServerFactory>
{
    [Fact]
    public async Task GetHealth_ServerRunning_Returns200Healthy()
    {
        var response = await factory.CreateClient().GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("healthy", body.GetProperty("status").GetString());
    }
}
