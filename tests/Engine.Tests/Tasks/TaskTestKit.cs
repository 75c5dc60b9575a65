using System.Text.Json.Nodes;

namespace Workflows.Engine.Tests.Tasks;

/// <summary>Engines, forms and bounded waits for the human-task tests.</summary>
internal static class TaskTestKit
{
    /// <summary>The bound on every wait: a broken rule fails the test instead of hanging it.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    /// <summary>An approval form: a required boolean and optional comments.</summary>
    public static JsonObject ApprovalForm() => Json("""
        {"type": "object", "required": ["approved"],
         "properties": {"approved": {"type": "boolean"}, "comments": {"type": "string"}}}
        """);

    /// <summary>A stricter form: a required boolean, a required risk level from a list, comments at most 10 characters.</summary>
    public static JsonObject RiskForm() => Json("""
        {"type": "object", "required": ["approved", "risk_level"],
         "properties": {"approved": {"type": "boolean"},
                        "risk_level": {"type": "string", "enum": ["low", "medium", "high"]},
                        "comments": {"type": "string", "maxLength": 10}}}
        """);

    public static JsonObject Json(string json) => JsonNode.Parse(json)!.AsObject();

    public static JsonObject Approved(bool approved = true) => new() { ["approved"] = approved };

    /// <summary>A human step answering the approval form.</summary>
    public static HumanStep Human(string name, JsonObject? form = null) => new(name, $"{name}?", form ?? ApprovalForm());

    /// <summary>A machine step that does nothing.</summary>
    public static MachineStep Noop(string name) => new(name, (_, _) => Task.FromResult<object?>(null));

    /// <summary>A machine step that signals <paramref name="entered"/> and then waits for <paramref name="gate"/> (at most 10 s).</summary>
    public static MachineStep Blocking(string name, Support.Signal entered, Support.Signal gate) => new(name, async (_, _) =>
    {
        entered.Set();
        await gate.Task.WaitAsync(Patience);
        return null;
    });

    public static WorkflowDefinition Definition(string name, IReadOnlyList<GraphStep> steps, IReadOnlyList<Edge> edges, string initial, params string[] terminals) =>
        new()
        {
            Name = name,
            Steps = steps,
            Edges = edges,
            InitialStep = initial,
            TerminalSteps = terminals,
        };

    /// <summary>An engine whose registry holds <paramref name="definition"/>.</summary>
    public static LocalExecutionEngine NewEngine(WorkflowDefinition definition, TimeProvider? time = null)
    {
        var registry = new WorkflowRegistry();
        registry.Register(definition);
        return new LocalExecutionEngine(registry, timeProvider: time);
    }

    /// <summary>An engine whose registry holds <paramref name="workflow"/>.</summary>
    public static LocalExecutionEngine NewEngine(Workflow workflow, TimeProvider? time = null)
    {
        var registry = new WorkflowRegistry();
        registry.Register(workflow);
        return new LocalExecutionEngine(registry, timeProvider: time);
    }

    /// <summary>Reads the run's stream until <paramref name="count"/> items match <paramref name="predicate"/>; returns the items read.</summary>
    public static async Task<List<RunItem>> ReadUntilCountAsync(this RunHandle run, Func<RunItem, bool> predicate, int count = 1)
    {
        using var timeout = new CancellationTokenSource(Patience);
        var items = new List<RunItem>();
        var seen = 0;
        await foreach (var item in run.ReadItemsAsync(0, timeout.Token))
        {
            items.Add(item);
            if (predicate(item) && ++seen == count)
            {
                return items;
            }
        }
        throw new Xunit.Sdk.XunitException($"The stream ended ({items[^1].Type}) before {count} awaited item(s) appeared; saw {seen}.");
    }

    /// <summary>Waits for the <paramref name="count"/>-th run.waiting item and returns it.</summary>
    public static async Task<RunWaiting> WaitForWaitingAsync(this RunHandle run, int count = 1) =>
        (RunWaiting)(await run.ReadUntilCountAsync(i => i is RunWaiting, count))[^1];

    /// <summary>Waits for the task.created item of <paramref name="step"/> and returns the task as the service holds it.</summary>
    public static async Task<HumanTask> WaitForTaskAsync(this LocalExecutionEngine engine, RunHandle run, string step)
    {
        var created = (TaskCreated)(await run.ReadUntilCountAsync(i => i is TaskCreated c && c.Step == step))[^1];
        var task = engine.Tasks.Get(created.TaskId);
        Assert.NotNull(task);
        return task;
    }

    /// <summary>Waits for the run to end (within <see cref="Patience"/>) and returns its outcome and whole stream.</summary>
    public static async Task<(RunOutcome Outcome, IReadOnlyList<RunItem> Items)> EndAsync(this RunHandle run)
    {
        var outcome = await run.Outcome.WaitAsync(Patience);
        return (outcome, run.Items.Snapshot());
    }

    public static void AssertStatus(this RunOutcome outcome, RunStatus status) =>
        Assert.True(outcome.Status == status, $"Expected {status}, got {outcome.Status}: {outcome.Error?.Type} {outcome.Error?.Message}");

    /// <summary>The sequence number of the single item matching <paramref name="predicate"/>.</summary>
    public static long Seq(this IEnumerable<RunItem> items, Func<RunItem, bool> predicate) => Assert.Single(items, i => predicate(i)).Sequence;

    public static bool IsStep<T>(this RunItem item, string step)
        where T : StepItem => item is T s && s.Step == step;
}
