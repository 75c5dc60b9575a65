using System.Text.Json.Serialization;

namespace Workflows.Engine.Tests.Hosting;

/// <summary>
/// A run read while it ends: the status in the answer is never older than its <c>LastSequence</c>, so a client that
/// shows the status and then follows the stream after <c>LastSequence</c> (as the task page does) sees the end.
/// </summary>
public sealed class RunDetailsConsistencyTests
{
    private static readonly TimeSpan s_patience = TimeSpan.FromSeconds(10);

    /// <summary>Holds the thread that serialises it, once armed: the test stops a reader in the middle of its reading.</summary>
    public sealed class ReadPause
    {
        private int _armed;
        private readonly ManualResetEventSlim _go = new();

        public TaskCompletionSource Reached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Arm() => Volatile.Write(ref _armed, 1);

        public void Go() => _go.Set();

        public string Pass()
        {
            if (Interlocked.Exchange(ref _armed, 0) == 1)
            {
                Reached.TrySetResult();
                _go.Wait(s_patience);
            }
            return "marker";
        }
    }

    /// <summary>An event whose JSON is read through <see cref="ReadPause.Pass"/>.</summary>
    public sealed record Marker : Event
    {
        [JsonIgnore]
        public ReadPause? Pause { get; init; }

        public string Note => Pause?.Pass() ?? "marker";
    }

    /// <summary><c>start</c> emits a <see cref="Marker"/>; <c>finish</c> ends the run when the test releases it.</summary>
    private sealed class HeldEnd : Workflow
    {
        public override string Name => "held_end";

        public ReadPause Pause { get; } = new();

        public TaskCompletionSource Finishing { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        [Step]
        public Marker Start(StartEvent ev) => new() { Pause = Pause };

        [Step]
        public async Task<StopEvent> Finish(Marker marker)
        {
            Finishing.TrySetResult();
            await Release.Task;
            return new StopEvent("done");
        }
    }

    [Fact]
    public async Task GetRun_WhileTheRunEnds_StatusIsNeverOlderThanLastSequence()
    {
        // Arrange: the run waits in `finish`; a reader of the run is held while it reads the run's items.
        var workflow = new HeldEnd();
        var registry = new WorkflowRegistry();
        registry.Register(workflow);
        await using var engine = new LocalExecutionEngine(registry);
        await engine.InitializeAsync();
        var run = await engine.StartWorkflowAsync("held_end");
        await workflow.Finishing.Task.WaitAsync(s_patience);
        workflow.Pause.Arm();
        var reading = Task.Run(() => engine.GetRunAsync(run.RunId));
        await workflow.Pause.Reached.Task.WaitAsync(s_patience);

        // Act: the run ends (and publishes its end) while the reader is in the middle; then the reader goes on.
        workflow.Release.TrySetResult();
        await run.Outcome.WaitAsync(s_patience);
        workflow.Pause.Go();
        var details = (await reading.WaitAsync(s_patience))!;

        // Assert: what the client does with the answer: a status that is not an end is followed on the stream.
        using var bound = new CancellationTokenSource(s_patience);
        var later = new List<string>();
        await foreach (var frame in (await engine.ReadRunFramesAsync(run.RunId, details.LastSequence, bound.Token))!.WithCancellation(bound.Token))
        {
            later.Add(frame.Type);
        }
        Assert.True(details.Summary.Status.IsTerminal() || later.Contains("run.completed"),
            $"told '{details.Summary.Status}' with last sequence {details.LastSequence}, then only [{string.Join(", ", later)}] on the stream");
        Assert.Equal(details.Summary.Status == RunStatus.Completed, details.Result is not null);
    }
}
