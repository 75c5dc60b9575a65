using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Workflows;

/// <summary>Registers the engine with dependency injection.</summary>
public static class WorkflowEngineServiceCollectionExtensions
{
    /// <summary>
    /// Adds the <see cref="WorkflowRegistry"/> (holding every <see cref="Workflow"/> and <see cref="WorkflowDefinition"/>
    /// registered as a service),
    /// the <see cref="LocalExecutionEngine"/> and <see cref="EngineOptions"/>.
    /// </summary>
    public static IServiceCollection AddWorkflowEngine(this IServiceCollection services, Action<EngineOptions>? configure = null)
    {
        services.AddOptions<EngineOptions>().Configure(options => configure?.Invoke(options));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new WorkflowRegistry(sp.GetServices<Workflow>(), sp.GetServices<WorkflowDefinition>()));
        services.TryAddSingleton<LocalExecutionEngine>();
        return services;
    }

    /// <summary>Registers <paramref name="workflow"/> with the engine's registry.</summary>
    public static IServiceCollection AddWorkflow(this IServiceCollection services, Workflow workflow) =>
        services.AddSingleton(workflow);

    /// <summary>Registers the graph workflow <paramref name="definition"/> with the engine's registry.</summary>
    public static IServiceCollection AddWorkflow(this IServiceCollection services, WorkflowDefinition definition) =>
        services.AddSingleton(definition);
}
