using Microsoft.Extensions.DependencyInjection;

namespace Workflows.Definitions.Tests;

public sealed class BuiltInDefinitionsTests
{
    private static readonly string[] s_eventDrivenNames =
    [
        "concurrent_flow", "document_analysis", "human_review", "multi_event_flow", "multi_model", "parallel_accumulator", "parallel_flow", "web_scraper",
    ];

    [Fact]
    public void EventDriven_AllPassRegistration()
    {
        var registry = new WorkflowRegistry();

        foreach (var workflow in BuiltInDefinitions.EventDriven())
        {
            registry.Register(workflow); // throws WorkflowValidationException listing every problem
        }

        var listed = registry.List();
        Assert.Equal(s_eventDrivenNames, listed.Select(w => w.Name));
        Assert.All(listed, w => Assert.False(string.IsNullOrWhiteSpace(w.Description), $"{w.Name} has no description"));
    }

    [Theory]
    [InlineData("parallel_flow", "start,step_two")]
    [InlineData("concurrent_flow", "start,step_three,step_two")]
    [InlineData("multi_event_flow", "start,step_a,step_b,step_c,step_three")]
    [InlineData("document_analysis", "analyze_document,collect_results,start")]
    [InlineData("multi_model", "collect_results,query_model,start")]
    [InlineData("web_scraper", "collect_results,fetch_url,start")]
    [InlineData("parallel_accumulator", "collect_results,process_item,start")]
    [InlineData("human_review", "decide,request_review")]
    public void EventDriven_StepsHaveTheCatalogueNames(string workflow, string steps)
    {
        var registry = new WorkflowRegistry(BuiltInDefinitions.EventDriven());

        var info = registry.Find(workflow);

        Assert.NotNull(info);
        Assert.Equal(steps, string.Join(',', info.Steps.Order(StringComparer.Ordinal)));
    }

    [Fact]
    public void EventDriven_ReturnsFreshInstancesEachCall()
    {
        var first = BuiltInDefinitions.EventDriven();
        var second = BuiltInDefinitions.EventDriven();

        Assert.All(first.Zip(second), pair => Assert.NotSame(pair.First, pair.Second));
    }

    [Fact]
    public void AddBuiltInDefinitions_RegistersEachWorkflowAsASingleton()
    {
        var services = new ServiceCollection();

        services.AddBuiltInDefinitions();

        var workflows = services.Where(d => d.ServiceType == typeof(Workflow)).ToArray();
        Assert.All(workflows, d => Assert.Equal(ServiceLifetime.Singleton, d.Lifetime));
        Assert.Equal(s_eventDrivenNames, workflows.Select(d => ((Workflow)d.ImplementationInstance!).Name).Order(StringComparer.Ordinal));
    }
}
