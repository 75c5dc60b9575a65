using System.Text.Json;
using System.Text.Json.Nodes;
using Workflows.Definitions;
using Workflows.Serialization;

namespace Workflows.Crash.Tests;

/// <summary>How a run ends when nothing crashes: computed on an in-memory engine with the same input and answers.</summary>
/// <param name="Status">The run status's wire name.</param>
/// <param name="Result">The result as canonical JSON (<see cref="Canonical.Json"/>), or null.</param>
/// <param name="Error">The error as canonical JSON ({step, type, message}), or null.</param>
/// <param name="Completed">step.completed items per step.</param>
/// <param name="FirstAttempts">step.started items with attempt 1 per step: the step invocations the run made.</param>
/// <param name="TaskSteps">The steps of the tasks the run opened, sorted.</param>
internal sealed record ExpectedRun(
    string Status,
    string? Result,
    string? Error,
    IReadOnlyDictionary<string, int> Completed,
    IReadOnlyDictionary<string, int> FirstAttempts,
    IReadOnlyList<string> TaskSteps);

internal static class Expected
{
    /// <summary>
    /// Runs every spec on one in-memory engine, answering each task with the spec's answer: first all but the
    /// concurrent_flow runs (at most <see cref="MaxConcurrentRuns"/> at once), then those, on their own.
    /// concurrent_flow's result is the order its answers arrive in, which the delays decide only while the machine
    /// keeps up with them: a machine busy starting a hundred runs (or the runtime compiling its code) may not.
    /// </summary>
    public static async Task<IReadOnlyList<ExpectedRun>> ComputeAsync(IReadOnlyList<RunSpec> specs, CancellationToken cancellationToken)
    {
        await using var engine = new LocalExecutionEngine(new WorkflowRegistry(BuiltInDefinitions.EventDriven(), BuiltInDefinitions.Graph()));
        var expected = new ExpectedRun[specs.Count];
        foreach (var phase in specs.GroupBy(s => s.Workflow == "concurrent_flow").OrderBy(g => g.Key))
        {
            await Parallel.ForEachAsync(phase, new ParallelOptions { MaxDegreeOfParallelism = MaxConcurrentRuns, CancellationToken = cancellationToken },
                async (spec, ct) => expected[spec.Index] = await RunAsync(engine, spec, ct));
        }
        return expected;
    }

    private const int MaxConcurrentRuns = 50;

    private static async Task<ExpectedRun> RunAsync(LocalExecutionEngine engine, RunSpec spec, CancellationToken cancellationToken)
    {
        var run = await engine.StartWorkflowAsync(spec.Workflow, spec.Input.DeepClone(), cancellationToken: cancellationToken);
        while (!run.Outcome.IsCompleted)
        {
            foreach (var task in engine.Tasks.List(new TaskQuery { RunId = run.RunId, Status = HumanTaskStatus.Pending }))
            {
                var (user, groups) = RunSpec.Caller(task.Assignee, task.Group);
                await engine.Tasks.CompleteAsync(task.Id, spec.Answer(task.Step), new TaskCaller(user, groups), cancellationToken);
            }
            await Task.WhenAny(run.Outcome, Task.Delay(5, cancellationToken));
        }
        var outcome = await run.Outcome;
        var items = run.Items.Snapshot().Select(item => JsonSerializer.SerializeToNode(item, item.GetType(), WorkflowJson.Options)!.AsObject()).ToArray();
        return new ExpectedRun(
            outcome.Status.ToWireName(),
            outcome.Status == RunStatus.Completed ? Canonical.Json(JsonSerializer.SerializeToNode(outcome.Result, WorkflowJson.Options)) : null,
            outcome.Error is { } error ? Canonical.Json(new JsonObject { ["step"] = error.Step, ["type"] = error.Type, ["message"] = error.Message }) : null,
            ItemStream.CountPerStep(items, "step.completed"),
            ItemStream.CountPerStep(items, "step.started", attempt: 1),
            ItemStream.OfType(items, "task.created").Select(i => (string)i["step"]!).Order(StringComparer.Ordinal).ToArray());
    }
}

/// <summary>Reading an item stream (JSON objects as the server's JSON array has them).</summary>
internal static class ItemStream
{
    public static readonly string[] TerminalTypes = ["run.completed", "run.failed", "run.canceled", "run.timed_out"];

    public static IEnumerable<JsonObject> OfType(IEnumerable<JsonObject> items, string type) =>
        items.Where(i => (string?)i["type"] == type);

    public static Dictionary<string, int> CountPerStep(IEnumerable<JsonObject> items, string type, int? attempt = null) =>
        OfType(items, type)
            .Where(i => attempt is null || (int)i["attempt"]! == attempt)
            .GroupBy(i => (string)i["step"]!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    public static string Describe(IReadOnlyDictionary<string, int> counts) =>
        "{" + string.Join(", ", counts.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}: {p.Value}")) + "}";
}

/// <summary>JSON compared with sorted keys and without recorded times (branches write in any order; clocks differ).</summary>
internal static class Canonical
{
    public static string Json(JsonNode? node) => Normalise(node)?.ToJsonString() ?? "null";

    private static JsonNode? Normalise(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj
            .Where(p => !p.Key.EndsWith("timestamp", StringComparison.OrdinalIgnoreCase) && !p.Key.EndsWith("_at", StringComparison.Ordinal))
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, Normalise(p.Value)))),
        JsonArray array => new JsonArray(array.Select(Normalise).ToArray()),
        _ => node?.DeepClone(),
    };
}
