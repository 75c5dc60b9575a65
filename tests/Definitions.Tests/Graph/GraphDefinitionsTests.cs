using Microsoft.Extensions.DependencyInjection;

namespace Workflows.Definitions.Tests.Graph;

public sealed class GraphDefinitionsTests
{
    private static readonly string[] s_graphNames =
    [
        "data_fetch", "expense_approval", "order_with_notifications", "parallel_approvals", "parallel_notify", "race_fetch", "resilient_fetch",
        "throttled_notify", "timed_fetch",
    ];

    [Fact]
    public void Graph_AllPassRegistration()
    {
        var registry = new WorkflowRegistry();

        foreach (var definition in BuiltInDefinitions.Graph())
        {
            registry.Register(definition); // throws WorkflowValidationException listing every problem
        }

        var listed = registry.List();
        Assert.Equal(s_graphNames, listed.Select(w => w.Name));
        Assert.All(listed, w => Assert.False(string.IsNullOrWhiteSpace(w.Description), $"{w.Name} has no description"));
        Assert.Equal("1.0.0", registry.Find("order_with_notifications")!.Version);
    }

    [Theory]
    [InlineData("parallel_notify", "complete,process,send_email,send_slack,send_sms")]
    [InlineData("order_with_notifications", "log_notifications,process_order,send_email,send_slack,send_webhook")]
    [InlineData("data_fetch", "aggregate,fetch_api1,fetch_api2,fetch_api3")]
    [InlineData("race_fetch", "fast_source,record_result,reliable_source")]
    [InlineData("resilient_fetch", "fetch_api1,fetch_api2,fetch_api3,handle_results")]
    [InlineData("timed_fetch", "timed_fetch")]
    [InlineData("throttled_notify", "send_1,send_10,send_2,send_3,send_4,send_5,send_6,send_7,send_8,send_9")]
    [InlineData("parallel_approvals", "check_approvals,finance_approval,legal_approval,security_approval")]
    [InlineData("expense_approval", "auto_approve,manager_approval,record,submit")]
    public void Graph_StepsHaveTheCatalogueNames(string workflow, string steps)
    {
        var registry = new WorkflowRegistry([], BuiltInDefinitions.Graph());

        var info = registry.Find(workflow);

        Assert.NotNull(info);
        Assert.Equal(steps, string.Join(',', info.Steps.Order(StringComparer.Ordinal)));
    }

    [Fact]
    public void Graph_ReturnsFreshDefinitionsEachCall()
    {
        var first = BuiltInDefinitions.Graph();
        var second = BuiltInDefinitions.Graph();

        Assert.All(first.Zip(second), pair => Assert.NotSame(pair.First, pair.Second));
        Assert.All(first.Zip(second), pair => Assert.NotSame(pair.First.Steps[0], pair.Second.Steps[0]));
    }

    [Fact]
    public void Graph_AndEventDriven_RegisterTogether()
    {
        var registry = new WorkflowRegistry(BuiltInDefinitions.EventDriven(), BuiltInDefinitions.Graph());

        Assert.Superset(s_graphNames.ToHashSet(), registry.List().Select(w => w.Name).ToHashSet());
        Assert.Equal(BuiltInDefinitions.EventDriven().Count + s_graphNames.Length, registry.List().Count);
    }

    [Fact]
    public void AddBuiltInDefinitions_RegistersEachGraphDefinitionAsASingleton()
    {
        var services = new ServiceCollection();

        services.AddBuiltInDefinitions();

        var definitions = services.Where(d => d.ServiceType == typeof(WorkflowDefinition)).ToArray();
        Assert.All(definitions, d => Assert.Equal(ServiceLifetime.Singleton, d.Lifetime));
        Assert.Equal(s_graphNames, definitions.Select(d => ((WorkflowDefinition)d.ImplementationInstance!).Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void AddWorkflowEngine_RegistryHoldsTheGraphDefinitions()
    {
        var services = new ServiceCollection().AddWorkflowEngine().AddBuiltInDefinitions();
        var factory = Assert.Single(services, d => d.ServiceType == typeof(WorkflowRegistry)).ImplementationFactory!;

        // The test project has the DI abstractions only, so a small provider serves the registered instances.
        var registry = Assert.IsType<WorkflowRegistry>(factory(new InstanceProvider(services)));

        Assert.Superset(s_graphNames.ToHashSet(), registry.List().Select(w => w.Name).ToHashSet());
        Assert.Contains(registry.List(), w => w.Name == "parallel_flow");
    }

    /// <summary>Answers <c>IEnumerable&lt;T&gt;</c> with the singleton instances registered for <c>T</c>.</summary>
    private sealed class InstanceProvider(IServiceCollection services) : IServiceProvider
    {
        public object? GetService(Type serviceType)
        {
            if (!serviceType.IsGenericType || serviceType.GetGenericTypeDefinition() != typeof(IEnumerable<>))
            {
                return null;
            }
            var element = serviceType.GetGenericArguments()[0];
            var instances = services.Where(d => d.ServiceType == element).Select(d => d.ImplementationInstance).ToArray();
            var array = Array.CreateInstance(element, instances.Length);
            Array.Copy(instances, array, instances.Length);
            return array;
        }
    }
}
