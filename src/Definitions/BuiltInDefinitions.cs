using Workflows.Definitions.EventDriven;
using Workflows.Definitions.Graph;

namespace Workflows.Definitions;

/// <summary>The catalogue of built-in workflows (definitions.md), registered by the server at start-up.</summary>
public static class BuiltInDefinitions
{
    /// <summary>
    /// The event-driven workflows, as new instances on every call (a definition compiles once per instance, so a
    /// fresh list can be registered in any number of registries).
    /// </summary>
    public static IReadOnlyList<Workflow> EventDriven() =>
    [
        new ParallelFlow(),
        new ConcurrentFlow(),
        new MultiEventFlow(),
        new DocumentAnalysisWorkflow(),
        new MultiModelWorkflow(),
        new WebScraperWorkflow(),
        new ParallelAccumulatorWorkflow(),
        new HumanReview(),
    ];

    /// <summary>The graph workflows, as new definitions on every call.</summary>
    public static IReadOnlyList<WorkflowDefinition> Graph() =>
    [
        ParallelNotify.Create(),
        OrderWithNotifications.Create(),
        DataFetch.Create(),
        RaceFetch.Create(),
        ResilientFetch.Create(),
        TimedFetch.Create(),
        ThrottledNotify.Create(),
        ParallelApprovals.Create(),
        ExpenseApproval.Create(),
    ];
}
