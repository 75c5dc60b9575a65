using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Workflows.Server.Hosting;

namespace Workflows.Server.Tests.Hosting;

public sealed class WorkflowServerOptionsTests
{
    [Fact]
    public void EngineOptions_SetInConfiguration_AreBoundFromWorkflowsEngine()
    {
        using var factory = new ServerFactory
        {
            Settings =
            {
                ["Workflows:Engine:Verbose"] = "true",
                ["Workflows:Engine:DefaultRunTimeout"] = "00:05:00",
            },
        };

        var options = factory.Services.GetRequiredService<IOptions<EngineOptions>>().Value;

        Assert.True(options.Verbose);
        Assert.Equal(TimeSpan.FromMinutes(5), options.DefaultRunTimeout);
    }

    [Fact]
    public void EngineOptions_NoSettings_KeepTheEngineDefaults()
    {
        using var factory = new ServerFactory();

        var options = factory.Services.GetRequiredService<IOptions<EngineOptions>>().Value;

        Assert.False(options.Verbose);
        Assert.Null(options.DefaultRunTimeout);
    }

    [Fact]
    public async Task Catalogue_Disabled_ListsOnlyWorkflowsRegisteredOtherwise()
    {
        using var factory = new ServerFactory { Settings = { ["Workflows:Catalogue:Enabled"] = "false" } };

        var items = await factory.CreateClient().GetFromJsonAsync<JsonElement>("/api/workflows");

        Assert.False(factory.Services.GetRequiredService<IOptions<CatalogueOptions>>().Value.Enabled);
        Assert.Equal(ServerFactory.TestWorkflowNames.Order(StringComparer.Ordinal), items.EnumerateArray().Select(i => i.GetProperty("name").GetString()));
    }

    [Fact]
    public void Catalogue_NoSettings_IsEnabled()
    {
        using var factory = new ServerFactory();

        Assert.True(factory.Services.GetRequiredService<IOptions<CatalogueOptions>>().Value.Enabled);
    }

    [Fact]
    public void ServerOptions_NoSettings_KeepTheirDefaults()
    {
        using var factory = new ServerFactory();

        var options = factory.Services.GetRequiredService<IOptions<WorkflowServerOptions>>().Value;

        Assert.Equal(15, options.KeepAliveSeconds);
        Assert.Equal(1024 * 1024, options.MaxRequestBodyBytes);
    }

    [Theory]
    [InlineData("Workflows:Server:KeepAliveSeconds", "0")]
    [InlineData("Workflows:Server:MaxRequestBodyBytes", "10")]
    [InlineData("Workflows:Server:MaxWaitSeconds", "-1")]
    public void ServerOptions_OutOfRange_StopTheStartNamingTheKey(string key, string value)
    {
        using var factory = new ServerFactory { Settings = { [key] = value } };

        var error = Assert.Throws<OptionsValidationException>(() => factory.CreateClient());

        Assert.Contains(key.Split(':')[^1], error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NoConnectionString_EngineRunsInMemory()
    {
        using var factory = new ServerFactory();

        Assert.False(factory.Engine.IsDurable);
    }
}
