using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Workflows.Persistence.EntityFramework.Schema;
using Workflows.Persistence.EntityFramework.Stores;

namespace Workflows.Persistence.EntityFramework;

/// <summary>Registers the EF Core run store with dependency injection.</summary>
public static class PersistenceServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="IRunStore"/> (a singleton, safe for concurrent calls) over SQLite or PostgreSQL, a pooled
    /// <see cref="IDbContextFactory{TContext}"/> of <see cref="WorkflowDbContext"/> for queries, and
    /// <see cref="PersistenceOptions"/>, validated when the host starts: an unknown provider, an empty or unreadable
    /// connection string or an unknown <c>SqliteSynchronous</c> stops the start with a message naming the key.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options (bind them from <see cref="PersistenceOptions.SectionName"/>).</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <remarks>The schema is created or upgraded by <see cref="IRunStore.InitializeAsync"/>, which the engine calls on start.</remarks>
    public static IServiceCollection AddWorkflowPersistence(this IServiceCollection services, Action<PersistenceOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);

        services.AddOptions<PersistenceOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PersistenceOptions>, PersistenceOptionsValidator>());
        services.TryAddSingleton(sp => StoreDialect.For(sp.GetRequiredService<IOptions<PersistenceOptions>>().Value));
        services.AddPooledDbContextFactory<WorkflowDbContext>((sp, builder) => sp.GetRequiredService<StoreDialect>().Configure(builder));
        services.TryAddSingleton<IRunStore>(sp =>
        {
            var dialect = sp.GetRequiredService<StoreDialect>();
            return new EfRunStore(
                sp.GetRequiredService<IDbContextFactory<WorkflowDbContext>>(),
                dialect,
                SchemaScripts.Embedded(dialect.ScriptFolder),
                sp.GetService<TimeProvider>() ?? TimeProvider.System,
                sp.GetService<ILoggerFactory>()?.CreateLogger<EfRunStore>() ?? NullLogger<EfRunStore>.Instance);
        });
        return services;
    }
}
