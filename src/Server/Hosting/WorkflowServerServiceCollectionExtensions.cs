using Workflows.Definitions;

namespace Workflows.Server.Hosting;

/// <summary>Registers everything the server needs with dependency injection.</summary>
public static class WorkflowServerServiceCollectionExtensions
{
    /// <summary>
    /// Adds the engine (its <see cref="EngineOptions"/> bound to <c>Workflows:Engine</c>), the built-in catalogue
    /// when <see cref="CatalogueOptions.Enabled"/>, problem details for every error, and the OpenAPI document.
    /// </summary>
    public static IServiceCollection AddWorkflowServer(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddWorkflowEngine();
        services.AddOptions<EngineOptions>().BindConfiguration(EngineOptions.SectionName);

        services.AddOptions<CatalogueOptions>().BindConfiguration(CatalogueOptions.SectionName);
        // Registration decides before the container exists, so the switch is read from configuration here.
        var catalogue = configuration.GetSection(CatalogueOptions.SectionName).Get<CatalogueOptions>() ?? new CatalogueOptions();
        if (catalogue.Enabled)
        {
            services.AddBuiltInDefinitions();
        }

        services.AddProblemDetails();
        services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Workflows API";
            document.Info.Description = "Registered workflow definitions; runs, tasks and event streams come later.";
            return Task.CompletedTask;
        }));
        return services;
    }
}
