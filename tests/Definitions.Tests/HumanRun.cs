using System.Text.Json.Nodes;

namespace Workflows.Definitions.Tests;

/// <summary>
/// A run that waits for people: the engine that started it (whose <see cref="LocalExecutionEngine.Tasks"/> completes
/// its tasks), its handle, and bounded waits on its item stream, so a test never sleeps and a hang fails the test.
/// </summary>
internal sealed class HumanRun
{
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(10);

    private HumanRun(LocalExecutionEngine engine, RunHandle handle)
    {
        Engine = engine;
        Handle = handle;
    }

    public LocalExecutionEngine Engine { get; }

    public RunHandle Handle { get; }

    public HumanTaskService Tasks => Engine.Tasks;

    public static Task<HumanRun> StartAsync(Workflow workflow, object? input = null)
    {
        var registry = new WorkflowRegistry();
        registry.Register(workflow);
        return StartAsync(registry, workflow.Name, input);
    }

    public static Task<HumanRun> StartAsync(WorkflowDefinition definition, object? input = null)
    {
        var registry = new WorkflowRegistry();
        registry.Register(definition);
        return StartAsync(registry, definition.Name, input);
    }

    private static async Task<HumanRun> StartAsync(WorkflowRegistry registry, string name, object? input)
    {
        var engine = new LocalExecutionEngine(registry);
        return new HumanRun(engine, await engine.StartWorkflowAsync(name, input));
    }

    /// <summary>
    /// The first item of <typeparamref name="T"/> after <paramref name="afterSequence"/> that matches; fails when the
    /// run ends first, or after the bound.
    /// </summary>
    public async Task<T> WaitForAsync<T>(Func<T, bool>? match = null, long afterSequence = 0) where T : RunItem
    {
        using var bound = new CancellationTokenSource(s_bound);
        try
        {
            await foreach (var item in Handle.ReadItemsAsync(afterSequence, bound.Token))
            {
                if (item is T found && (match is null || match(found)))
                {
                    return found;
                }
            }
        }
        catch (OperationCanceledException) when (bound.IsCancellationRequested)
        {
            Assert.Fail($"No {typeof(T).Name} within {s_bound.TotalSeconds} s; the run is {Handle.Status}.");
        }
        var outcome = await Handle.Outcome;
        Assert.Fail($"The run ended ({outcome.Status}: {outcome.Error?.Message}) without a matching {typeof(T).Name}.");
        return null!;
    }

    /// <summary>Waits until the run waits for people (its <see cref="RunWaiting"/> item), then checks its status says so.</summary>
    public async Task<RunWaiting> WaitUntilWaitingAsync(long afterSequence = 0)
    {
        var waiting = await WaitForAsync<RunWaiting>(afterSequence: afterSequence);
        Assert.Equal(RunStatus.Waiting, Handle.Status);
        return waiting;
    }

    /// <summary>The run's pending tasks, oldest first.</summary>
    public IReadOnlyList<HumanTask> PendingTasks() =>
        Tasks.List(new TaskQuery { RunId = Handle.RunId, Status = HumanTaskStatus.Pending });

    /// <summary>The pending task of <paramref name="step"/>.</summary>
    public HumanTask PendingTask(string step) => Assert.Single(PendingTasks(), t => t.Step == step);

    /// <summary>Completes the pending task of <paramref name="step"/> with <paramref name="json"/> as <paramref name="caller"/>.</summary>
    public Task<TaskCompletionResult> CompleteAsync(string step, string json, TaskCaller caller) =>
        Tasks.CompleteAsync(PendingTask(step).Id, JsonNode.Parse(json), caller).WaitAsync(s_bound);

    /// <summary>How the run ended, within the bound.</summary>
    public Task<RunOutcome> OutcomeAsync() => Handle.Outcome.WaitAsync(s_bound);

    /// <summary>The final context of a graph run that must complete; otherwise the assertion names the error.</summary>
    public async Task<JsonObject> CompletedContextAsync()
    {
        var outcome = await OutcomeAsync();
        Assert.True(outcome.Status == RunStatus.Completed, $"Run ended as {outcome.Status}: {outcome.Error?.Message}");
        return Assert.IsType<JsonObject>(outcome.Result);
    }

    public IReadOnlyList<RunItem> Items => Handle.Items.Snapshot();
}
