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
        Assert.Equal(64, server.MaxJsonDepth);
        Assert.Equal(20, server.RunStartsPerSecond);
        var security = provider.GetRequiredService<IOptions<Workflows.Server.Security.SecurityOptions>>().Value;
        Assert.Equal(Workflows.Server.Security.SecurityMode.Enforced, security.Mode);
        Assert.Empty(security.Users);
        Assert.Empty(security.ApiKeys);
    }

    /// <summary>
    /// <c>dotnet run</c> (the launch profile sets the Development environment) reads the root appsettings.Development.json,
    /// which turns Development mode on; the build output does not carry that file, so a published server is Enforced.
    /// </summary>
    [Fact]
    public void DevelopmentSettings_AtTheRoot_TurnOnDevelopmentMode_AndAreNotCopiedToTheOutput()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "Workflows.sln")))
        {
            root = root.Parent!;
        }
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(root.FullName, "appsettings.json"))
            .AddJsonFile(Path.Combine(root.FullName, "appsettings.Development.json"))
            .Build();
        var launch = File.ReadAllText(Path.Combine(root.FullName, "src", "Server", "Properties", "launchSettings.json"));

        Assert.Equal("Development", configuration["Workflows:Security:Mode"]);
        Assert.Contains("\"ASPNETCORE_ENVIRONMENT\": \"Development\"", launch, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(AppContext.BaseDirectory, "appsettings.Development.json")));
    }
}
