using Microsoft.Extensions.DependencyInjection;

namespace Workflows.Definitions;

/// <summary>Registers the built-in catalogue with dependency injection.</summary>
public static class DefinitionsServiceCollectionExtensions
{
    /// <summary>
    /// Adds every built-in workflow as a <see cref="Workflow"/> service and every built-in graph workflow as a
    /// <see cref="WorkflowDefinition"/> service, which the engine's registry picks up (see <c>AddWorkflowEngine</c>).
    /// </summary>
    public static IServiceCollection AddBuiltInDefinitions(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        foreach (var workflow in BuiltInDefinitions.EventDriven())
        {
            services.AddWorkflow(workflow);
        }
        foreach (var definition in BuiltInDefinitions.Graph())
        {
            services.AddWorkflow(definition);
        }
        return services;
    }
}
