using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Workflows.Persistence.EntityFramework;
using Workflows.Persistence.Tests.Support;

namespace Workflows.Persistence.Tests;

/// <summary>Registration and the checks that stop a misconfigured start.</summary>
public sealed class PersistenceOptionsTests
{
    [Fact]
    public void Defaults_AreSqliteBesideTheServer_WithNormalSync()
    {
        var options = new PersistenceOptions();

        Assert.Equal("sqlite", options.Provider);
        Assert.Equal("Data Source=workflows.db", options.ConnectionString);
        Assert.Equal("normal", options.SqliteSynchronous);
        Assert.Equal("Workflows:Persistence", PersistenceOptions.SectionName);
    }

    [Theory]
    [InlineData("mysql", "Data Source=x.db", "normal", "Workflows:Persistence:Provider is 'mysql'; use 'sqlite' or 'postgres'.")]
    [InlineData("", "Data Source=x.db", "normal", "Workflows:Persistence:Provider is ''; use 'sqlite' or 'postgres'.")]
    [InlineData("sqlite", "", "normal", "Workflows:Persistence:ConnectionString is empty")]
    [InlineData("postgres", "  ", "normal", "Workflows:Persistence:ConnectionString is empty")]
    [InlineData("sqlite", "Data Source=x.db", "off", "Workflows:Persistence:SqliteSynchronous is 'off'; use 'normal' or 'full'.")]
    [InlineData("sqlite", "Flavour=strawberry", "normal", "Workflows:Persistence:ConnectionString is not a valid sqlite connection string")]
    [InlineData("postgres", "Flavour=strawberry", "normal", "Workflows:Persistence:ConnectionString is not a valid postgres connection string")]
    public void InvalidOptions_StopTheStart_NamingTheKey(string provider, string connectionString, string synchronous, string expected)
    {
        using var services = Services(provider, connectionString, synchronous);

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(expected, error.Message);
    }

    [Theory]
    [InlineData("SQLite", "Data Source=x.db", "FULL")]
    [InlineData("postgres", "Host=127.0.0.1;Port=55432;Database=w", "anything: ignored by postgres")]
    public void ValidOptions_PassTheStartCheck(string provider, string connectionString, string synchronous)
    {
        using var services = Services(provider, connectionString, synchronous);

        services.GetRequiredService<IStartupValidator>().Validate();
    }

    [Fact]
    public async Task Store_IsOneSingleton_AndWorksWithTheDefaults()
    {
        await using var database = await TestDatabase.CreateAsync(StoreKind.Sqlite);
        var services = new ServiceCollection();
        services.AddWorkflowPersistence(options => options.ConnectionString = database.ConnectionString);
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        var store = provider.GetRequiredService<IRunStore>();
        await store.InitializeAsync([], CancellationToken.None);

        Assert.Same(store, provider.GetRequiredService<IRunStore>());
        Assert.Empty(await store.LoadUnfinishedAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Sqlite_FileInADirectoryThatDoesNotExistYet_IsCreated()
    {
        await using var database = await TestDatabase.CreateAsync(StoreKind.Sqlite);
        var path = Path.Combine(Path.GetDirectoryName(database.ConnectionString["Data Source=".Length..])!, "volume", "data", "workflows.db");
        var services = new ServiceCollection();
        services.AddWorkflowPersistence(options => options.ConnectionString = $"Data Source={path}");
        await using var provider = services.BuildServiceProvider();

        await provider.GetRequiredService<IRunStore>().InitializeAsync([], CancellationToken.None);

        Assert.True(File.Exists(path));
        Microsoft.Data.Sqlite.SqliteConnection.ClearPool(new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path}"));
    }

    private static ServiceProvider Services(string provider, string connectionString, string synchronous)
    {
        var services = new ServiceCollection();
        services.AddWorkflowPersistence(options =>
        {
            options.Provider = provider;
            options.ConnectionString = connectionString;
            options.SqliteSynchronous = synchronous;
        });
        return services.BuildServiceProvider();
    }
}
