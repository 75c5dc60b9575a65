using Microsoft.Extensions.Logging.Abstractions;
using Workflows.Engine.Tests.Support;
using Workflows.Persistence;
using Workflows.Runtime.Durability;

namespace Workflows.Engine.Tests.Durability;

/// <summary>
/// A store that refuses one run's changes holds back that run only: the committer finds the refused runs in a refused
/// batch, commits the others, and retries the refused ones alone until the store takes them. Nothing is acknowledged
/// before it is durable, so nothing is lost.
/// </summary>
public sealed class RefusedCommitTests
{
    private static readonly TimeSpan s_patience = TimeSpan.FromSeconds(10);

    private sealed class Echo : Workflow
    {
        public override string Name => "echo";

        [Step]
        public StopEvent Only(StartEvent ev) => new(ev.Get<string>("word"));
    }

    private static bool IsPoison(RunCommit commit) => commit.Run?.InputJson.Contains("poison", StringComparison.Ordinal) == true;

    [Fact]
    public async Task OneRunRefused_OtherRunsComplete_AndItCompletesOnceTheStoreTakesIt()
    {
        var store = new RefusingRunStore(new InMemoryRunStore()) { Refuses = IsPoison };
        var registry = new WorkflowRegistry();
        registry.Register(new Echo());
        var engine = new LocalExecutionEngine(registry, store: store);
        await engine.InitializeAsync();

        var poison = engine.StartWorkflowAsync("echo", new { word = "poison" }); // its first commit is refused: not started yet
        var others = new List<RunOutcome>();
        for (var i = 0; i < 5; i++)
        {
            var run = await engine.StartWorkflowAsync("echo", new { word = $"w{i}" }).WaitAsync(s_patience);
            others.Add(await run.Outcome.WaitAsync(s_patience));
        }

        Assert.All(others, o => Assert.Equal(RunStatus.Completed, o.Status));
        Assert.False(poison.IsCompleted);
        Assert.True(store.Refused > 0);

        store.Refuses = null; // the store takes it now: the held changes go through on their next attempt
        var handle = await poison.WaitAsync(s_patience);
        Assert.Equal("poison", (await handle.Outcome.WaitAsync(s_patience)).Result);
        Assert.Equal(RunStatus.Completed, store.Inner.RunOf(handle.RunId)!.Status);
    }

    [Fact]
    public async Task RefusedBatch_IsSplitByRun_TheAcceptedRunsAreAcknowledged_TheRefusedOneOnlyWhenTaken()
    {
        var store = new RefusingRunStore(new InMemoryRunStore()) { Refuses = IsPoison };
        await using var committer = new RunCommitter(store, NullLogger.Instance);
        var acknowledged = new List<string>();
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Enqueue(string runId, string input) => committer.Enqueue(Commit(runId, input), () =>
        {
            lock (acknowledged)
            {
                acknowledged.Add(runId);
                if (acknowledged.Count == 6)
                {
                    all.SetResult();
                }
            }
        });

        // The first commit waits in the store, so the next five gather into one batch with the refused run among them
        // (or all six do, if the writer had not taken the first yet): either way "poison" shares a batch with others.
        var gate = store.HoldNextCommit();
        Enqueue("first", "{}");
        foreach (var (runId, input) in new[] { ("a", "{}"), ("b", "{}"), ("poison", """{"poison":true}"""), ("c", "{}"), ("d", "{}") })
        {
            Enqueue(runId, input);
        }
        gate.SetResult();
        await WaitUntilAsync(() => { lock (acknowledged) { return acknowledged.Count == 5; } });

        lock (acknowledged)
        {
            Assert.Equal(["first", "a", "b", "c", "d"], acknowledged);
        }
        Assert.Null(store.Inner.RunOf("poison"));

        store.Refuses = null;
        await all.Task.WaitAsync(s_patience);
        Assert.NotNull(store.Inner.RunOf("poison"));
    }

    [Fact]
    public async Task StoreDown_NothingIsAcknowledged_AndEverythingGoesThroughWhenItIsBack()
    {
        var store = new RefusingRunStore(new InMemoryRunStore()) { Refuses = _ => true };
        await using var committer = new RunCommitter(store, NullLogger.Instance);
        var acknowledged = 0;
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        foreach (var runId in new[] { "a", "b", "c" })
        {
            committer.Enqueue(Commit(runId, "{}"), () =>
            {
                if (Interlocked.Increment(ref acknowledged) == 3)
                {
                    all.SetResult();
                }
            });
        }

        await WaitUntilAsync(() => store.Refused >= 3);
        Assert.Equal(0, Volatile.Read(ref acknowledged));

        store.Refuses = null;
        await all.Task.WaitAsync(s_patience);
        Assert.All(new[] { "a", "b", "c" }, runId => Assert.NotNull(store.Inner.RunOf(runId)));
    }

    private static RunCommit Commit(string runId, string input) => new(runId)
    {
        Run = new RunRecord
        {
            Id = runId,
            Workflow = "echo",
            Version = "1.0.0",
            Status = RunStatus.Running,
            InputJson = input,
            LastSequence = 0,
            CreatedAt = DateTimeOffset.UnixEpoch,
            UpdatedAt = DateTimeOffset.UnixEpoch,
        },
    };

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var bound = new CancellationTokenSource(s_patience);
        while (!condition())
        {
            await Task.Delay(5, bound.Token);
        }
    }
}
