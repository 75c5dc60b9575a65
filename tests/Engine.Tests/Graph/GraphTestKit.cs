using System.Text.Json.Nodes;

namespace Workflows.Engine.Tests.Graph;

/// <summary>Building, running and reading graph workflows in tests.</summary>
internal static class GraphTestKit
{
    /// <summary>The bound on every wait of these tests: a broken rule fails the test instead of hanging it.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    /// <summary>A machine step running <paramref name="body"/>.</summary>
    public static MachineStep Step(string name, Func<WorkflowContext, CancellationToken, Task<object?>> body) => new(name, body);

    /// <summary>A machine step that does nothing and returns null.</summary>
    public static MachineStep Noop(string name) => new(name, (_, _) => Task.FromResult<object?>(null));

    /// <summary>A definition named <paramref name="name"/>.</summary>
    public static WorkflowDefinition Definition(string name, IReadOnlyList<GraphStep> steps, IReadOnlyList<Edge> edges, string initial, params string[] terminals) =>
        new()
        {
            Name = name,
            Steps = steps,
            Edges = edges,
            InitialStep = initial,
            TerminalSteps = terminals,
        };

    /// <summary>Registers <paramref name="definition"/> in a fresh registry and starts a run of it.</summary>
    public static Task<RunHandle> StartAsync(WorkflowDefinition definition, object? input = null)
    {
        var registry = new WorkflowRegistry();
        registry.Register(definition);
        return new LocalExecutionEngine(registry).StartWorkflowAsync(definition.Name, input);
    }

    /// <summary>Runs <paramref name="definition"/> to its end (within <see cref="Patience"/>).</summary>
    public static async Task<(RunHandle Run, RunOutcome Outcome, IReadOnlyList<RunItem> Items)> RunAsync(WorkflowDefinition definition, object? input = null)
    {
        var run = await StartAsync(definition, input);
        var outcome = await run.Outcome.WaitAsync(Patience);
        return (run, outcome, run.Items.Snapshot());
    }

    /// <summary>The outcome's result as the final context.</summary>
    public static JsonObject Context(this RunOutcome outcome) => Assert.IsType<JsonObject>(outcome.Result);

    /// <summary>Asserts the run completed, showing its error otherwise.</summary>
    public static void AssertCompleted(this RunOutcome outcome) =>
        Assert.True(outcome.Status == RunStatus.Completed, $"Expected completed, got {outcome.Status}: {outcome.Error?.Type} {outcome.Error?.Message}");

    /// <summary>The items of type <typeparamref name="T"/> concerning <paramref name="step"/>.</summary>
    public static List<T> Of<T>(this IEnumerable<RunItem> items, string step)
        where T : StepItem =>
        items.OfType<T>().Where(i => i.Step == step).ToList();

    /// <summary>The sequence number of the single item of type <typeparamref name="T"/> of <paramref name="step"/>.</summary>
    public static long SingleSeq<T>(this IEnumerable<RunItem> items, string step)
        where T : StepItem =>
        Assert.Single(items.Of<T>(step)).Sequence;

    /// <summary>Names of the steps that started, in stream order (one entry per attempt).</summary>
    public static List<string> StartedSteps(this IEnumerable<RunItem> items) => items.OfType<StepStarted>().Select(s => s.Step).ToList();

    /// <summary>
    /// The largest number of attempts of <paramref name="steps"/> open at the same point of the stream: an attempt
    /// is open from its step.started until its completed/failed/retrying/skipped/canceled item. The stream's order
    /// is the loop's order, so this measures what the engine let run together, not what a clock happened to see.
    /// </summary>
    public static int MaxOverlap(this IEnumerable<RunItem> items, IEnumerable<string> steps)
    {
        var names = steps.ToHashSet(StringComparer.Ordinal);
        var open = new HashSet<(string, int, int)>();
        var max = 0;
        foreach (var item in items.OfType<StepItem>().Where(i => names.Contains(i.Step)))
        {
            var key = (item.Step, item.Worker, item.Attempt);
            if (item is StepStarted)
            {
                Assert.True(open.Add(key), $"'{item.Step}' attempt {item.Attempt} started twice in slot {item.Worker}.");
                max = Math.Max(max, open.Count);
            }
            else
            {
                Assert.True(open.Remove(key), $"'{item.Step}' attempt {item.Attempt} ended without starting (sequence {item.Sequence}).");
            }
        }
        Assert.Empty(open);
        return max;
    }

    /// <summary>Asserts the lifecycle rule (exactly one terminal item, the last one) and returns it.</summary>
    public static T SingleTerminal<T>(this IReadOnlyList<RunItem> items)
        where T : RunEnded
    {
        Assert.Single(items.OfType<RunEnded>());
        return Assert.IsType<T>(items[^1]);
    }

    /// <summary>Waits until the run's stream holds an item matching <paramref name="predicate"/>.</summary>
    public static async Task<RunItem> WaitForItemAsync(this RunHandle run, Func<RunItem, bool> predicate)
    {
        using var timeout = new CancellationTokenSource(Patience);
        await foreach (var item in run.ReadItemsAsync(0, timeout.Token))
        {
            if (predicate(item))
            {
                return item;
            }
        }
        throw new Xunit.Sdk.XunitException("The stream ended before the awaited item appeared.");
    }

    /// <summary>Registers <paramref name="definition"/> and returns the validation errors it was refused with.</summary>
    public static IReadOnlyList<string> RegistrationErrors(WorkflowDefinition definition)
    {
        var error = Assert.Throws<WorkflowValidationException>(() => new WorkflowRegistry().Register(definition));
        Assert.Equal(definition.Name, error.Workflow);
        return error.Errors;
    }
}

/// <summary>
/// Opens once <c>required</c> callers have arrived. A step awaiting it proves that <c>required</c> steps were
/// running at the same moment; if the engine never lets that many run together, the wait times out and the step
/// fails, so the test fails instead of hanging.
/// </summary>
internal sealed class Rendezvous(int required)
{
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _arrived;

    public int Arrived => Volatile.Read(ref _arrived);

    public Task ArriveAndWaitAsync()
    {
        if (Interlocked.Increment(ref _arrived) >= required)
        {
            _open.TrySetResult();
        }
        return _open.Task.WaitAsync(TimeSpan.FromSeconds(5));
    }
}

/// <summary>A one-shot signal between a step and its test.</summary>
internal sealed class Latch
{
    private readonly TaskCompletionSource _source = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsSet => _source.Task.IsCompleted;

    public void Set() => _source.TrySetResult();

    /// <summary>Waits for the signal, failing after 5 s rather than hanging.</summary>
    public Task WaitAsync() => _source.Task.WaitAsync(TimeSpan.FromSeconds(5));

    /// <summary>Sets this latch when <paramref name="token"/> is cancelled.</summary>
    public CancellationTokenRegistration SetOn(CancellationToken token) => token.Register(static s => ((Latch)s!).Set(), this);
}
