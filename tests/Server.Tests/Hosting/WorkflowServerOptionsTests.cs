using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Workflows.Server.Hosting;
using Workflows.Server.Tests.Doubles;

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
        Assert.Equal([GreeterWorkflow.WorkflowName], items.EnumerateArray().Select(i => i.GetProperty("name").GetString()));
    }

    [Fact]
    public void Catalogue_NoSettings_IsEnabled()
    {
        using var factory = new ServerFactory();

        Assert.True(factory.Services.GetRequiredService<IOptions<CatalogueOptions>>().Value.Enabled);
    }
}
