using System.Text.Json;
using System.Text.Json.Nodes;
using Workflows.Serialization;

namespace Workflows.Definitions.Tests;

/// <summary>Runs a workflow to its end with a safety bound, so a hanging run fails the test instead of the build.</summary>
internal static class Runs
{
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(10);

    public static async Task<(RunHandle Handle, RunOutcome Outcome)> RunToEndAsync(Workflow workflow, object? input = null)
    {
        var handle = await workflow.StartAsync(input);
        var outcome = await handle.Outcome.WaitAsync(s_bound);
        return (handle, outcome);
    }

    /// <summary>The result of a run that must complete; otherwise the assertion names the error.</summary>
    public static async Task<object?> ResultAsync(Workflow workflow, object? input = null)
    {
        var (_, outcome) = await RunToEndAsync(workflow, input);
        Assert.True(outcome.Status == RunStatus.Completed, $"Run ended as {outcome.Status}: {outcome.Error?.Message}");
        return outcome.Result;
    }

    /// <summary>The result as a client sees it: JSON with the product's conventions.</summary>
    public static JsonNode? ToJson(object? value) => JsonSerializer.SerializeToNode(value, WorkflowJson.Options);

    public static IEnumerable<T> EventsOf<T>(this IEnumerable<RunItem> items) where T : Event =>
        items.OfType<EventEmitted>().Select(e => e.Event).OfType<T>();

    public static IEnumerable<StepStarted> Starts(this IEnumerable<RunItem> items, string step) =>
        items.OfType<StepStarted>().Where(s => s.Step == step);

    public static IEnumerable<StepCompleted> Completions(this IEnumerable<RunItem> items, string step) =>
        items.OfType<StepCompleted>().Where(s => s.Step == step);

    /// <summary>The most invocations of <paramref name="step"/> that were running at once, read from the item stream.</summary>
    public static int MaxConcurrency(this IEnumerable<RunItem> items, string step)
    {
        int running = 0, max = 0;
        foreach (var item in items)
        {
            if (item is StepStarted started && started.Step == step)
            {
                max = Math.Max(max, ++running);
            }
            else if (item is StepCompleted or StepFailed && ((StepItem)item).Step == step)
            {
                running--;
            }
        }
        return max;
    }
}
