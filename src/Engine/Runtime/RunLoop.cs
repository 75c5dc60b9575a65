using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Workflows.Diagnostics;
using Workflows.Model;
using Workflows.Runtime.Ticks;

namespace Workflows.Runtime;

/// <summary>
/// The single consumer of one run's ticks. It alone changes the run's scheduling state (worker pools, active
/// count, status) and appends to the item stream, so none of that needs a lock and item order is exact.
/// Workers, timers and callers only post ticks.
/// </summary>
/// <remarks>
/// Idleness is exact: a step's <c>SendEvent</c> ticks are posted before its result tick on the same channel, so
/// when the loop has applied a result and finds no active invocation and no tick left, nothing can follow.
/// </remarks>
internal sealed class RunLoop
{
    private readonly Channel<Tick> _ticks = Channel.CreateUnbounded<Tick>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _cancellation = new();
    private readonly TaskCompletionSource<RunOutcome> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly WorkerPool[] _pools;
    private readonly StartEvent _start;
    private readonly ILogger _logger;
    private readonly HashSet<ITimer> _timers = [];
    private long _sequence;
    private int _active;
    private bool _ended;
    private volatile RunStatus _status = RunStatus.Pending;

    public RunLoop(WorkflowModel model, string runId, StartEvent start, TimeProvider time, ILogger logger)
    {
        Model = model;
        RunId = runId;
        Time = time;
        _start = start;
        _logger = logger;
        _pools = new WorkerPool[model.Steps.Count];
        for (var i = 0; i < _pools.Length; i++)
        {
            _pools[i] = new WorkerPool(model.Steps[i].Options.NumWorkers);
        }
    }

    public WorkflowModel Model { get; }

    public string RunId { get; }

    public TimeProvider Time { get; }

    public RunItemLog Items { get; } = new();

    public StateStore Store { get; } = new();

    public CollectBuffers CollectBuffers { get; } = new();

    public CancellationToken RunCancellation => _cancellation.Token;

    public RunStatus Status => _status;

    public Task<RunOutcome> Outcome => _outcome.Task;

    /// <summary>Hands a tick to the loop; false once the run has ended (the tick is then moot).</summary>
    public bool Post(Tick tick) => _ticks.Writer.TryWrite(tick);

    /// <summary>Begins the run on the caller's thread, then keeps applying ticks until the run ends.</summary>
    public async Task RunAsync()
    {
        try
        {
            Begin();
            var reader = _ticks.Reader;
            while (!_ended)
            {
                while (!_ended && reader.TryRead(out var tick))
                {
                    Apply(tick);
                }
                if (_ended)
                {
                    break;
                }
                if (_active == 0)
                {
                    End(new RunFailed(new RunError(null, "no_stop_event",
                        "The run stopped without a StopEvent: no step is running and no event is queued.")));
                    break;
                }
                await reader.WaitToReadAsync().ConfigureAwait(false);
            }
        }
        catch (Exception bug)
        {
            // A defect of the runtime itself: end the run visibly rather than leave it hanging.
            End(new RunFailed(new RunError(null, "engine_error", bug.Message) { Exception = bug }));
        }
    }

    private void Begin()
    {
        _status = RunStatus.Running;
        Append(new RunStarted(Model.Name, Model.Version, _start));
        if (Model.Timeout is { } timeout)
        {
            _timers.Add(Time.CreateTimer(static state => ((RunLoop)state!).Post(TimeoutElapsed.Instance), this, timeout, System.Threading.Timeout.InfiniteTimeSpan));
        }
        Emit(_start, source: null, target: null);
    }

    private void Apply(Tick tick)
    {
        switch (tick)
        {
            case EventPosted posted when posted.Source is not { Done: true }:
                Emit(posted.Event, posted.Source?.Step.Name, posted.TargetStep);
                break;
            case StepReturned returned:
                OnReturned(returned.Invocation, returned.Result);
                break;
            case StepThrew threw:
                OnThrew(threw.Invocation, threw.Error);
                break;
            case RetryDue due:
                _timers.Remove(due.Invocation.RetryTimer!);
                due.Invocation.RetryTimer!.Dispose();
                Launch(due.Invocation);
                break;
            case StreamWrite write when !write.Invocation.Done:
                Append(new StreamWritten(write.Invocation.Step.Name, write.Data));
                break;
            case CancelRequested cancel:
                End(new RunCanceled(cancel.Reason));
                break;
            case TimeoutElapsed:
                var active = ActiveSteps();
                End(new RunTimedOut(active, new RunError(null, "timeout",
                    $"The run timed out after {Model.Timeout!.Value.TotalSeconds:0.###} s; active steps: {(active.Count == 0 ? "none" : string.Join(", ", active))}.")));
                break;
        }
    }

    private void OnReturned(StepInvocation invocation, object? result)
    {
        invocation.Done = true;
        var step = invocation.Step;
        if (result is not null and not Event)
        {
            Fail(invocation, new RunError(step.Name, "invalid_return",
                $"Step '{step.Name}' returned {result.GetType().Name}, which is not an event."));
            return;
        }
        if (result is Event produced && !step.MayEmit(produced.GetType()))
        {
            Fail(invocation, new RunError(step.Name, "undeclared_event",
                $"Step '{step.Name}' returned {produced.GetType().Name}, which it does not declare: add [Emits(typeof({produced.GetType().Name}))] or return that type."));
            return;
        }
        Append(new StepCompleted(step.Name, invocation.Worker, invocation.Attempt));
        if (result is Event ev)
        {
            Emit(ev, step.Name, target: null);
        }
        else if (Model.Verbose)
        {
            RunLog.StepProducedNoEvent(_logger, step.Name);
        }
        if (!_ended)
        {
            Release(invocation);
        }
    }

    private void OnThrew(StepInvocation invocation, Exception error)
    {
        invocation.Done = true;
        var step = invocation.Step;
        var policy = step.Options.Retry;
        var runError = RunError.FromException(step.Name, error);
        if (!policy.ShouldRetry(invocation.Attempt, error))
        {
            Fail(invocation, runError);
            return;
        }
        var delay = policy.DelayAfter(invocation.Attempt);
        Append(new StepRetrying(step.Name, invocation.Worker, invocation.Attempt, runError, delay.TotalMilliseconds));
        RunLog.StepRetrying(_logger, error, step.Name, invocation.Attempt, delay.TotalMilliseconds);
        // The next attempt keeps the worker slot through the backoff: NumWorkers bounds invocations, not CPU.
        var next = new StepInvocation(this, step, invocation.Event, invocation.Worker, invocation.Attempt + 1);
        next.RetryTimer = Time.CreateTimer(static state =>
        {
            var next = (StepInvocation)state!;
            next.Loop.Post(new RetryDue(next));
        }, next, delay, System.Threading.Timeout.InfiniteTimeSpan);
        _timers.Add(next.RetryTimer);
    }

    private void Fail(StepInvocation invocation, RunError error)
    {
        Append(new StepFailed(invocation.Step.Name, invocation.Worker, invocation.Attempt, error));
        RunLog.RunFailed(_logger, error.Exception, RunId, Model.Name, error.Step);
        End(new RunFailed(error));
    }

    private void Emit(Event ev, string? source, string? target)
    {
        var type = ev.GetType();
        Append(new EventEmitted(source, type.Name, ev, target));
        if (Model.Verbose && source is not null)
        {
            RunLog.StepProducedEvent(_logger, source, type.Name);
        }
        if (ev is StopEvent stop)
        {
            End(new RunCompleted(stop.RunResult), stop);
            return;
        }
        if (target is not null)
        {
            Deliver(Model.FindStep(target)!, ev);
            return;
        }
        foreach (var step in Model.Route(type))
        {
            Deliver(step, ev);
        }
    }

    private void Deliver(StepModel step, Event ev)
    {
        var pool = _pools[step.Index];
        if (pool.TryTake(out var worker))
        {
            _active++;
            Launch(new StepInvocation(this, step, ev, worker, attempt: 1));
        }
        else
        {
            pool.Enqueue(ev);
        }
    }

    private void Launch(StepInvocation invocation)
    {
        Append(new StepStarted(invocation.Step.Name, invocation.Worker, invocation.Attempt, invocation.Event.GetType().Name));
        if (Model.Verbose)
        {
            RunLog.RunningStep(_logger, invocation.Step.Name);
        }
        ThreadPool.UnsafeQueueUserWorkItem(invocation, preferLocal: false);
    }

    /// <summary>Frees the invocation's slot and hands it to the next waiting event of that step, if any.</summary>
    private void Release(StepInvocation invocation)
    {
        var pool = _pools[invocation.Step.Index];
        if (pool.TryDequeue(out var waiting))
        {
            Launch(new StepInvocation(this, invocation.Step, waiting, invocation.Worker, attempt: 1));
            return;
        }
        pool.Release(invocation.Worker);
        _active--;
    }

    /// <summary>Steps holding a worker slot: running, or waiting out a retry backoff.</summary>
    private List<string> ActiveSteps()
    {
        var names = new List<string>();
        for (var i = 0; i < _pools.Length; i++)
        {
            if (_pools[i].Busy > 0)
            {
                names.Add(Model.Steps[i].Name);
            }
        }
        return names;
    }

    private void Append(RunItem item, bool terminal = false)
    {
        item.Sequence = ++_sequence;
        item.Timestamp = Time.GetUtcNow();
        item.RunId = RunId;
        Items.Append(item, terminal);
    }

    private void End(RunEnded item, StopEvent? stop = null)
    {
        if (_ended)
        {
            return;
        }
        _ended = true;
        _status = item.Status;
        Append(item, terminal: true);
        _ticks.Writer.TryComplete();
        foreach (var timer in _timers)
        {
            timer.Dispose();
        }
        _timers.Clear();
        _cancellation.Cancel();
        RunLog.RunEnded(_logger, RunId, Model.Name, item.Status.ToWireName());
        var error = item switch
        {
            RunFailed failed => failed.Error,
            RunTimedOut timedOut => timedOut.Error,
            RunCanceled canceled => new RunError(null, "canceled", canceled.Reason ?? "The run was canceled."),
            _ => null,
        };
        _outcome.TrySetResult(new RunOutcome(item.Status, (item as RunCompleted)?.Result, error) { StopEvent = stop });
    }
}
