using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Workflows.Persistence.EntityFramework;
using Workflows.Server.Hosting;

namespace Workflows.Server.Tests.Hosting;

/// <summary>The repository's appsettings.json (copied beside the server's binaries) binds to the server's options.</summary>
public sealed class AppSettingsTests
{
    [Fact]
    public void RepositoryAppSettings_CopiedToOutput_BindsEveryWorkflowsSection()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "appsettings.json");
        Assert.True(File.Exists(path), $"{path} is missing: the server project links the root appsettings.json as content.");
        var configuration = new ConfigurationBuilder().AddJsonFile(path).Build();
        using var provider = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging()
            .AddWorkflowServer(configuration)
            .BuildServiceProvider();

        var engine = provider.GetRequiredService<IOptions<EngineOptions>>().Value;
        var catalogue = provider.GetRequiredService<IOptions<CatalogueOptions>>().Value;
        var persistence = provider.GetRequiredService<IOptions<PersistenceOptions>>().Value;
        var server = provider.GetRequiredService<IOptions<WorkflowServerOptions>>().Value;

        Assert.Null(engine.DefaultRunTimeout);
        Assert.False(engine.Verbose);
        Assert.True(catalogue.Enabled);
        Assert.Equal("http://127.0.0.1:5080", configuration["Urls"]);
        Assert.Equal("Data Source=workflows.db", WorkflowServerServiceCollectionExtensions.FindConnectionString(configuration));
        Assert.Equal("sqlite", persistence.Provider);
        Assert.Equal("Data Source=workflows.db", persistence.ConnectionString);
        Assert.Equal(15, server.KeepAliveSeconds);
        Assert.Equal(1024 * 1024, server.MaxRequestBodyBytes);
        Assert.Equal(300, server.MaxWaitSeconds);
        Assert.Equal(5, server.HealthTimeoutSeconds);
    }
}
