using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Workflows.Definitions;
using Workflows.Persistence.EntityFramework;
using Workflows.Server.Endpoints;
using Workflows.Server.Endpoints.Streaming;
using Workflows.Server.Security;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Workflows.Server.Hosting;

/// <summary>Registers everything the server needs with dependency injection.</summary>
public static class WorkflowServerServiceCollectionExtensions
{
    /// <summary>The connection string name the server reads first (<c>ConnectionStrings:Workflows</c>).</summary>
    public const string ConnectionStringName = "Workflows";

    /// <summary>
    /// Adds the engine (its <see cref="EngineOptions"/> bound to <c>Workflows:Engine</c>) and a hosted service that
    /// initializes it before the server takes requests; the run store (<c>AddWorkflowPersistence</c>) when a
    /// connection string is set (<see cref="FindConnectionString"/>), which makes every run durable; the built-in
    /// catalogue when <see cref="CatalogueOptions.Enabled"/>; <see cref="WorkflowServerOptions"/> (with the JSON depth
    /// limit), security (<see cref="SecurityServiceCollectionExtensions.AddWorkflowSecurity"/>), the rate limit of run
    /// starts, problem details for every error, and the OpenAPI document.
    /// </summary>
    public static IServiceCollection AddWorkflowServer(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        // The engine's constructor takes an optional IRunStore: when AddWorkflowPersistence registered one, the
        // container passes it and the engine is durable; otherwise it runs in memory.
        services.AddWorkflowEngine();
        services.AddOptions<EngineOptions>().BindConfiguration(EngineOptions.SectionName);
        services.AddHostedService<EngineInitializer>();
        services.AddSingleton<RunStatusFeed>();
        services.AddHostedService(provider => provider.GetRequiredService<RunStatusFeed>());
        if (FindConnectionString(configuration) is { } connectionString)
        {
            services.AddWorkflowPersistence(options =>
            {
                configuration.GetSection(PersistenceOptions.SectionName).Bind(options);
                options.ConnectionString = connectionString;
            });
        }

        services.AddOptions<CatalogueOptions>().BindConfiguration(CatalogueOptions.SectionName);
        // Registration decides before the container exists, so the switch is read from configuration here.
        var catalogue = configuration.GetSection(CatalogueOptions.SectionName).Get<CatalogueOptions>() ?? new CatalogueOptions();
        if (catalogue.Enabled)
        {
            services.AddBuiltInDefinitions();
        }

        services.AddOptions<WorkflowServerOptions>().BindConfiguration(WorkflowServerOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<JsonOptions>().Configure<IOptions<WorkflowServerOptions>>((json, server) =>
            json.SerializerOptions.MaxDepth = server.Value.MaxJsonDepth);
        services.AddWorkflowSecurity();
        services.AddWorkflowRateLimits();
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<WorkflowServerOptions>>((kestrel, server) =>
            kestrel.Limits.MaxRequestBodySize = server.Value.MaxRequestBodyBytes);
        // Binding failures (malformed JSON, a query value of the wrong type) throw, so that Problems can answer
        // them with a problem document naming the field rather than an empty 400.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.AddProblemDetails(options => options.CustomizeProblemDetails = Problems.Complete);
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        services.AddWorkflowOpenApi();
        return services;
    }

    /// <summary>
    /// The run store's connection string: <c>ConnectionStrings:Workflows</c>, else
    /// <c>Workflows:Persistence:ConnectionString</c>; null when neither is set (runs then live in memory).
    /// </summary>
    public static string? FindConnectionString(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var value = configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(value))
        {
            value = configuration[$"{PersistenceOptions.SectionName}:ConnectionString"];
        }
        return string.IsNullOrWhiteSpace(value) ? null : value;
    }
}
