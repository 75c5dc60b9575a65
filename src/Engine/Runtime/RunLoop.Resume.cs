using System.Text.Json.Nodes;
using Workflows.Model;
using Workflows.Runtime.Durability;

namespace Workflows.Runtime;

/// <summary>
/// Saving and restoring what a run needs to go on after a restart. Steps that were running run again (their
/// interrupted attempt is recorded <c>step.canceled</c>, the new one <c>step.started</c> with the next attempt
/// number); queued work stays queued; backoffs, deadlines and the run timeout are re-armed with what was left;
/// completed steps never run again, because their completion and the state it led to were committed together.
/// </summary>
internal sealed partial class RunLoop
{
    /// <summary>The resume state of this run now, with <paramref name="store"/> (a copy of the state); loop thread only.</summary>
    private ResumeState ExportState(JsonObject store)
    {
        var codec = Model.Codec;
        var queued = new List<PendingWork>();
        var inFlight = new List<PendingWork>();
        foreach (var pool in _pools)
        {
            queued.AddRange(pool.Waiting.Select(w => new PendingWork(w.Step.Name, codec.Encode(w.Event), -1, 1, 0)));
            inFlight.AddRange(pool.Running.Where(i => !i.Done).Select(i =>
                new PendingWork(i.Step.Name, codec.Encode(i.Event), i.Worker, i.Attempt, i.Order) { RetryAt = i.RetryAt, Sent = i.Sent, Written = i.Written }));
        }
        return new ResumeState
        {
            Sequence = _sequence,
            Status = _status,
            Store = store,
            Outputs = Outputs is null ? null : new JsonObject(Outputs.Snapshot().Select(p => KeyValuePair.Create(p.Key, p.Value))),
            Queued = queued,
            InFlight = inFlight,
            CollectBuffers = _collectBuffers?.Export(codec) ?? [],
            Graph = _graph?.Export(),
            TimeoutRemainingMs = _timeout?.RemainingMs,
        };
    }

    /// <summary>Picks the run up where its last commit left it (instead of <see cref="Begin"/>).</summary>
    private void Resume(ResumeState state)
    {
        var codec = Model.Codec;
        _status = state.Status;
        _createdAt = _resumedCreatedAt;
        if (state.Outputs is { } outputs)
        {
            foreach (var (step, output) in outputs)
            {
                Outputs!.Set(step, output?.DeepClone());
            }
        }
        CollectBuffers.Import(state.CollectBuffers, codec);
        if (state.Graph is { } graph)
        {
            _graph!.Import(graph);
        }
        foreach (var task in _resumedTasks.Where(t => t.Status == HumanTaskStatus.Pending))
        {
            Tasks.Restore(task);
        }
        foreach (var work in state.InFlight)
        {
            var step = FindStepOrThrow(work.Step);
            var ev = codec.Decode(work.Event);
            _active++;
            if (work.RetryAt is { } due)
            {
                // It was waiting out a backoff: keep the schedule.
                var pending = new StepInvocation(this, step, ev, work.Worker, work.Attempt) { Order = work.Order };
                PoolOf(step).Occupy(pending);
                ScheduleRetry(pending, due - Time.GetUtcNow() is { Ticks: > 0 } left ? left : TimeSpan.Zero);
                continue;
            }
            Append(new StepCanceled(step.Name, work.Worker, work.Attempt, "the engine restarted") { Group = step.Group });
            // What the interrupted attempt had sent or written is durable: its re-run does not deliver it again.
            Launch(new StepInvocation(this, step, ev, work.Worker, work.Attempt + 1) { Order = work.Order, SendsDelivered = work.Sent, WritesDelivered = work.Written });
        }
        foreach (var work in state.Queued)
        {
            var step = FindStepOrThrow(work.Step);
            var pool = PoolOf(step);
            var worker = pool.FreeSlot();
            if (worker < 0)
            {
                pool.Enqueue(step, codec.Decode(work.Event));
            }
            else
            {
                // Slots freed by the restart (an attempt that was not re-run) go to the queue, in order.
                _active++;
                Launch(new StepInvocation(this, step, codec.Decode(work.Event), worker, attempt: 1));
            }
        }
        _timeout?.Restore(state.TimeoutRemainingMs, waiting: state.Status == RunStatus.Waiting);
        DurabilityLog.RunResumed(_logger, RunId, Model.Name, Model.Version, state.InFlight.Count, state.Queued.Count, Tasks.OpenCount);
    }

    private StepModel FindStepOrThrow(string name) => Model.FindStep(name)
        ?? throw new InvalidOperationException($"Step '{name}' of the persisted run is not in workflow '{Model.Name}' {Model.Version}.");
}
