using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Persistence;
using Workflows.Server.Tests.Doubles;
using Workflows.Server.Tests.Support;

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

    [Fact]
    public async Task GetHealth_StoreDoesNotAnswer_Returns503Problem()
    {
        using var unhealthy = new ServerFactory { ConfigureTestServices = services => services.AddSingleton<IRunStore, UnreachableStore>() };

        using var response = await unhealthy.CreateClient().GetAsync("/health", Patience.Token());

        Assert.True(unhealthy.Engine.IsDurable);
        var problem = await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.DoesNotContain("unreachable", problem.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
    }
}
