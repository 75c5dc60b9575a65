using System.Text.Json.Nodes;

namespace Workflows.Definitions.Tests.Graph;

/// <summary>Runs a graph definition in a fresh registry and engine, with a safety bound so a hanging run fails the test.</summary>
internal static class GraphRuns
{
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(10);

    public static async Task<(RunHandle Handle, RunOutcome Outcome)> RunToEndAsync(WorkflowDefinition definition, object? input = null)
    {
        var registry = new WorkflowRegistry();
        registry.Register(definition);
        var handle = await new LocalExecutionEngine(registry).StartWorkflowAsync(definition.Name, input);
        var outcome = await handle.Outcome.WaitAsync(s_bound);
        return (handle, outcome);
    }

    /// <summary>The final context of a run that must complete; otherwise the assertion names the error.</summary>
    public static async Task<(JsonObject Context, IReadOnlyList<RunItem> Items)> CompleteAsync(WorkflowDefinition definition, object? input = null)
    {
        var (handle, outcome) = await RunToEndAsync(definition, input);
        Assert.True(outcome.Status == RunStatus.Completed, $"Run ended as {outcome.Status}: {outcome.Error?.Message}");
        return (Assert.IsType<JsonObject>(outcome.Result), handle.Items.Snapshot());
    }

    /// <summary>The one item of <typeparamref name="T"/> for <paramref name="step"/>.</summary>
    public static T Single<T>(this IEnumerable<RunItem> items, string step) where T : StepItem =>
        Assert.Single(items.OfType<T>(), i => i.Step == step);

    /// <summary>
    /// The most members of <paramref name="group"/> running at once, from the stream: each member's interval runs from
    /// its <see cref="StepStarted"/> to the item that ends it (completed, failed, canceled, skipped or retrying).
    /// The stream's order is the runtime's own, so this counts what the scheduler allowed, not what a clock saw.
    /// </summary>
    public static int MaxConcurrentMembers(this IEnumerable<RunItem> items, string group)
    {
        int running = 0, max = 0;
        foreach (var item in items.OfType<StepItem>().Where(i => i.Group == group))
        {
            switch (item)
            {
                case StepStarted:
                    max = Math.Max(max, ++running);
                    break;
                case StepCompleted or StepFailed or StepCanceled or StepSkipped or StepRetrying:
                    running--;
                    break;
            }
        }
        return max;
    }
}
