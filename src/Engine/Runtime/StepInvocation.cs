using System.Diagnostics;
using Workflows.Model;
using Workflows.Runtime.Ticks;

namespace Workflows.Runtime;

/// <summary>
/// One attempt of one step on one event: the step's <see cref="IStepContext"/>, the thread-pool work item that
/// runs it, and, once it has run, the tick that reports its outcome to the run's loop (so a step costs one object).
/// It reports back only by posting ticks to its run's loop.
/// </summary>
internal sealed partial class StepInvocation : Tick, IStepContext, IThreadPoolWorkItem
{
    private static readonly AsyncLocal<StepInvocation?> s_current = new();
    private readonly RunLoop _loop;
    private Rare? _rare; // what few attempts need, kept out of the common object
    private volatile bool _abandoned; // timed out: what it sends or writes from now on is dropped here, before any tick
    private int _claimed; // 1 once taken from a queue of cheap steps (InlineSteps), by its thread or by the watchdog

    /// <summary>The fields of an attempt that times out, is cancelled alone, retries, writes or was resumed.</summary>
    private sealed class Rare
    {
        public CancellationTokenSource? AttemptCancellation;
        public DateTimeOffset? RetryAt;
        public ITimer? RetryTimer;
        public int Written;
        public int SendsDelivered;
        public int WritesDelivered;
    }

    public StepInvocation(RunLoop loop, StepModel step, Event ev, int worker, int attempt)
    {
        _loop = loop;
        Step = step;
        Event = ev;
        Worker = worker;
        Attempt = attempt;
        if (step.Options.Timeout is not null || step.CancellableAlone)
        {
            RareFields.AttemptCancellation = CancellationTokenSource.CreateLinkedTokenSource(loop.RunCancellation);
        }
    }

    private Rare RareFields => _rare ??= new Rare();

    public RunLoop Loop => _loop;

    /// <summary>Cancels this attempt alone (a race loser); the run goes on.</summary>
    public void CancelAlone() => _ = _rare?.AttemptCancellation?.CancelAsync();

    public StepModel Step { get; }

    public Event Event { get; }

    /// <summary>Set by the loop once it has applied this attempt's outcome; later sends and writes are dropped.</summary>
    public bool Done { get; set; }

    /// <summary>Once the attempt has run (as a tick): whether it threw (<see cref="Result"/> is then the exception).</summary>
    public bool Threw { get; private set; }

    /// <summary>Once the attempt has run (as a tick): what it returned (an event, null, or a non-event mistake), or the exception it threw.</summary>
    public object? Result { get; private set; }

    /// <summary>
    /// When the loop first started this event on this step (the sequence of that <c>step.started</c>), kept across
    /// retries: the collect buffer orders by it, so "arrival order" is the loop's order, not whichever worker
    /// happens to call <see cref="CollectEvents"/> first.
    /// </summary>
    public long Order { get; set; }

    /// <summary>While a backoff is pending: when this attempt is due (persisted, so a restart keeps the schedule).</summary>
    public DateTimeOffset? RetryAt
    {
        get => _rare?.RetryAt;
        set => RareFields.RetryAt = value;
    }

    /// <summary>The backoff timer that will start the next attempt, while one is pending.</summary>
    public ITimer? RetryTimer
    {
        get => _rare?.RetryTimer;
        set => RareFields.RetryTimer = value;
    }

    /// <summary>The attempt whose code runs on this async flow (durable runs only): the state store notes who changes it.</summary>
    public static StepInvocation? Current => s_current.Value;

    /// <summary>How many of this attempt's sends (<see cref="SendEvent"/>) the loop has applied; loop thread only.</summary>
    public int Sent { get; set; }

    /// <summary>How many of this attempt's stream writes the loop has applied; loop thread only.</summary>
    public int Written
    {
        get => _rare?.Written ?? 0;
        set => RareFields.Written = value;
    }

    /// <summary>
    /// For the attempt that re-runs one a restart interrupted: how many sends the interrupted attempt had made durable.
    /// The re-run's first that many sends are the same events again (a step sends the same events for the same input),
    /// so they are not delivered twice.
    /// </summary>
    public int SendsDelivered
    {
        get => _rare?.SendsDelivered ?? 0;
        init => RareFields.SendsDelivered = value;
    }

    /// <summary>As <see cref="SendsDelivered"/>, for stream writes.</summary>
    public int WritesDelivered
    {
        get => _rare?.WritesDelivered ?? 0;
        init => RareFields.WritesDelivered = value;
    }

    public string RunId => _loop.RunId;

    public string StepName => Step.Name;

    public int Worker { get; }

    public int Attempt { get; }

    public CancellationToken CancellationToken => _rare?.AttemptCancellation?.Token ?? _loop.RunCancellation;

    public StateStore Store => _loop.Store;

    public void SendEvent(Event ev, string? step = null)
    {
        ArgumentNullException.ThrowIfNull(ev);
        var type = ev.GetType();
        if (!Step.MayEmit(type))
        {
            throw new InvalidOperationException(
                $"Step '{Step.Name}' sent {type.Name}, which it does not declare: add [Emits(typeof({type.Name}))] to the step.");
        }
        if (step is not null)
        {
            var target = _loop.Model.FindStep(step) ?? throw new ArgumentException(
                $"Step '{Step.Name}' sent {type.Name} to step '{step}', which does not exist in workflow '{_loop.Model.Name}'.", nameof(step));
            if (!target.AcceptsType(type))
            {
                throw new ArgumentException(
                    $"Step '{Step.Name}' sent {type.Name} to step '{step}', which does not accept it (it accepts {string.Join(", ", target.Accepts.Select(t => t.Name))}).", nameof(step));
            }
        }
        if (_held is not null && TryHold(ev, step))
        {
            return; // a cheap step's send: applied with its outcome (StepInvocation.HeldSends.cs)
        }
        if (!_abandoned)
        {
            _loop.PostEvent(ev, this, step);
        }
    }

    public IReadOnlyList<Event>? CollectEvents(Event ev, IReadOnlyList<Type> types, string? bufferId = null) =>
        _loop.CollectBuffers.Collect(Step.Index, Step.Name, bufferId, ev, types, Order);

    public void WriteEventToStream(object? data)
    {
        if (Volatile.Read(ref _held) is not null)
        {
            ReleaseHeld(); // the write must not overtake the sends before it
        }
        if (!_abandoned)
        {
            _loop.Post(new StreamWrite(this, data));
        }
    }

    /// <summary>Run as a thread-pool work item: the thread then also runs the cheap steps this one launches (<see cref="InlineSteps"/>).</summary>
    public void Execute()
    {
        if (Done)
        {
            return; // its run ended (or a race canceled it) before it started: it was recorded step.canceled then
        }
        if (InlineSteps.Enter() is not { } queue)
        {
            RunHere(InlineSteps.Current); // nested: run inline by a thread that runs its queue already, or by no queue
            return;
        }
        RunHere(queue);
        queue.RunAllAndLeave();
    }

    /// <summary>Runs the attempt on this thread, which runs <paramref name="queue"/>: while a cheap step's code runs, the steps it sends to may join it.</summary>
    internal void RunHere(InlineSteps? queue)
    {
        if (queue is null)
        {
            _ = RunAsync(null);
            return;
        }
        var (outer, outerRunning) = (queue.Accepting, queue.Running);
        (queue.Accepting, queue.Running) = (Step.Cost.IsCheap, this);
        _ = RunAsync(queue);
        (queue.Accepting, queue.Running) = (outer, outerRunning);
    }

    /// <summary>Takes this attempt from a thread's queue of cheap steps: the owner, or the watchdog handing it to the pool.</summary>
    internal bool TryClaim() => Interlocked.Exchange(ref _claimed, 1) == 0;

    /// <summary>Taken from a queue of cheap steps already (any thread).</summary>
    internal bool IsClaimed => Volatile.Read(ref _claimed) != 0;

    /// <summary>The watchdog found it waiting in a queue of cheap steps at one look; at the next it goes to the pool (watchdog only).</summary>
    internal bool SeenWaiting { get; set; }

    // Which invocations a thread times once their step is cheap (1 in 16): a step that turns slow is caught that way
    // or, if it holds its thread up, by the watchdog; an ordinary step is timed every time (two clock reads, against
    // the 50 µs or more it takes).
    [ThreadStatic]
    private static uint t_timed;

    private async Task RunAsync(InlineSteps? queue)
    {
        if (_loop.IsDurable)
        {
            s_current.Value = this; // this async flow only: restored when RunAsync returns to its caller
        }
        var cost = Step.Cost;
        var began = !cost.IsCheap || (++t_timed & 15) == 0 ? Stopwatch.GetTimestamp() : 0;
        var awaited = false;
        var holding = queue is { Accepting: true }; // a cheap step: its sends go with its outcome
        if (holding)
        {
            StartHolding();
        }
        try
        {
            var pending = Step.Invoke(this, Event);
            if (pending.IsCompletedSuccessfully)
            {
                Result = pending.Result;
            }
            else
            {
                awaited = true;
                if (holding)
                {
                    holding = false;
                    ReleaseHeld(); // what it sent before its first await goes now: the await may be long
                }
                Result = Step.Options.Timeout is { } timeout ? await WithTimeout(pending, timeout).ConfigureAwait(false)
                    : await pending.ConfigureAwait(false);
            }
        }
        catch (Exception error)
        {
            (Threw, Result) = (true, error);
            // Only a failure for good: not one that will be retried, nor a cancellation by the run or a race.
            if (Step.OnFailedForGood is { } onFailed && !Step.Options.Retry.ShouldRetry(Attempt, error)
                && !(error is OperationCanceledException && CancellationToken.IsCancellationRequested))
            {
                awaited = true;
                if (holding)
                {
                    holding = false;
                    ReleaseHeld();
                }
                try
                {
                    await onFailed(this, error).ConfigureAwait(false);
                }
                catch (Exception hookError)
                {
                    Result = hookError;
                }
            }
        }
        if (began != 0)
        {
            cost.Observe(Stopwatch.GetElapsedTime(began));
        }
        if (holding)
        {
            HoldForOutcome(); // handed over when PostFromStep has posted the outcome (EndRelease)
        }
        // The attempt itself is the tick that reports its outcome. After an await this may be any thread: then no queue.
        _loop.PostFromStep(this, awaited ? null : queue);
    }

    private async Task<object?> WithTimeout(ValueTask<object?> pending, TimeSpan timeout)
    {
        var task = pending.AsTask();
        try
        {
            return await task.WaitAsync(timeout, _loop.Time).ConfigureAwait(false);
        }
        catch (TimeoutException) when (!task.IsCompleted)
        {
            // The attempt is abandoned: whatever it sends or writes from now on is dropped (here, so nothing can
            // overtake the failure on its way to the loop), and its token fires so a cooperative step stops.
            _abandoned = true;
            await _rare!.AttemptCancellation!.CancelAsync().ConfigureAwait(false);
            throw new StepTimeoutException(Step.Name, timeout);
        }
    }
}
