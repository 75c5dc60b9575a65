using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Workflows.Diagnostics;
using Workflows.Graph;
using Workflows.Model;
using Workflows.Runtime.Durability;
using Workflows.Runtime.Ticks;

namespace Workflows.Runtime;

/// <summary>
/// The single consumer of one run's ticks. It alone changes the run's scheduling state (worker pools, active
/// count, status) and appends to the item stream, so none of that needs a lock and item order is exact.
/// Workers, timers and callers only post ticks. Event-driven and graph workflows share all of it; a graph run
/// only replaces "route by event type" with <see cref="GraphRun"/> (edges, joins, groups).
/// </summary>
/// <remarks>
/// Idleness is exact: a step's <c>SendEvent</c> ticks are posted before its result tick on the same channel, so
/// when the loop has applied a result and finds no active invocation and no tick left, nothing can follow.
/// </remarks>
internal sealed partial class RunLoop
{
    private PaddedInbox _inbox; // written by every poster: on cache lines of its own, away from the loop's fields

    /// <summary>
    /// The two fields other threads write (with atomics) on every post, padded to a cache line of their own on each side:
    /// the loop writes its own fields on every item, and sharing a line with them would move it between cores both ways.
    /// </summary>
    [StructLayout(LayoutKind.Explicit, Size = 192)]
    private struct PaddedInbox
    {
        [FieldOffset(64)]
        public Tick? Posted; // ticks posted and not yet taken, newest first, chained through Tick.Next

        [FieldOffset(72)]
        public int Draining; // 1 while some thread is running the loop
    }

    private volatile bool _closed;
    // The run's token, made when a step or a caller first asks for it (most steps never do); see RunCancellation.
    private CancellationTokenSource? _cancellation;
    private volatile bool _canceling; // set by the end, before it looks for a token to cancel
    private readonly TaskCompletionSource<RunOutcome> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WorkerPool[] _pools; // emptied once the run settles (see Settle)
    private readonly StartEvent _start;
    private readonly ILogger _logger;
    private readonly GraphRun? _graph;
    // Created on first use: most runs have no retry timer, no one waiting for an acknowledgement, no timeout.
    private HashSet<ITimer>? _timers;
    private List<Action<RunStatus>>? _acknowledgements;
    private readonly RunTimeout? _timeout;
    private CollectBuffers? _collectBuffers;
    private StateStore? _store;
    private readonly DateTimeOffset _resumedCreatedAt;
    private readonly IReadOnlyList<HumanTask> _resumedTasks;
    private long _sequence;
    private int _active;
    private volatile RunStatus _status = RunStatus.Pending;

    public RunLoop(WorkflowModel model, string runId, StartEvent start, HumanTaskService tasks, TimeProvider time, ILogger logger,
        RunCommitter? committer = null, ResumeState? resumed = null, DateTimeOffset resumedCreatedAt = default, IReadOnlyList<HumanTask>? resumedTasks = null)
    {
        _resumedCreatedAt = resumedCreatedAt;
        _resumedTasks = resumedTasks ?? [];
        Model = model;
        RunId = runId;
        Time = time;
        _start = start;
        _logger = logger;
        _committer = committer;
        _resumed = resumed;
        _sequence = resumed?.Sequence ?? 0;
        Items = new RunItemLog(runId, firstSequence: _sequence + 1, capacity: model.ItemCountHint);
        Tasks = new RunTasks(this, tasks);
        _timeout = model.Timeout is null ? null : new RunTimeout(this, model.Timeout);
        if (committer is not null)
        {
            _uncommitted = [];
            _firstCommit = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        _pools = new WorkerPool[model.PoolSizes.Count];
        for (var i = 0; i < _pools.Length; i++)
        {
            _pools[i] = new WorkerPool(model.PoolSizes[i]);
        }
        if (model.Graph is { } plan)
        {
            // A graph run's context starts as its input.
            _store = new StateStore(resumed?.Store ?? start.Input.DeepClone().AsObject()) { TracksWriters = committer is not null };
            Outputs = new StepOutputs();
            _graph = new GraphRun(this, plan);
        }
        else if (resumed?.Store is not null || committer is not null)
        {
            _store = new StateStore(resumed?.Store) { TracksWriters = committer is not null };
        }
    }

    public WorkflowModel Model { get; }

    public string RunId { get; }

    public TimeProvider Time { get; }

    public RunItemLog Items { get; }

    /// <summary>The run's state (in memory, an event-driven run's is made by the first step that uses it; any thread).</summary>
    public StateStore Store
    {
        get
        {
            if (Volatile.Read(ref _store) is { } store)
            {
                return store;
            }
            var made = new StateStore();
            return Interlocked.CompareExchange(ref _store, made, null) ?? made;
        }
    }

    /// <summary>Outputs of completed graph steps (graph runs only).</summary>
    public StepOutputs? Outputs { get; }

    /// <summary>The run's collect buffers (made by the first step that collects; any thread).</summary>
    public CollectBuffers CollectBuffers
    {
        get
        {
            if (Volatile.Read(ref _collectBuffers) is { } buffers)
            {
                return buffers;
            }
            var made = new CollectBuffers();
            return Interlocked.CompareExchange(ref _collectBuffers, made, null) ?? made;
        }
    }

    /// <summary>The run's open human tasks.</summary>
    public RunTasks Tasks { get; }

    public CancellationToken RunCancellation
    {
        get
        {
            if (Volatile.Read(ref _cancellation) is { } made)
            {
                return made.Token;
            }
            var created = new CancellationTokenSource();
            var source = Interlocked.CompareExchange(ref _cancellation, created, null) ?? created;
            // Made as the run ended: the end sets _canceling before it looks for a source (both sides fence), so either
            // it found this one or this sees the flag. Canceling twice is harmless.
            if (_canceling)
            {
                source.Cancel();
            }
            return source.Token;
        }
    }

    public RunStatus Status => _status;

    public Task<RunOutcome> Outcome => _outcome.Task;

    /// <summary>True once the run has ended and everything it produced is published (any thread): it is no longer active.</summary>
    public bool IsSettled => _closed;

    /// <summary>True once the terminal item is appended; loop thread only.</summary>
    public bool Ended { get; private set; }

    /// <summary>
    /// Hands a tick to the loop and, if no thread is running the loop now, runs it on this thread until the inbox is
    /// empty. Returns false once the run is closed (the tick is then refused or ignored).
    /// </summary>
    public bool Post(Tick tick)
    {
        var open = !_closed;
        Drain(direct: new(tick));
        return open;
    }

    /// <summary>
    /// A step's <c>SendEvent</c>: like <see cref="Post"/>, but when this thread may apply it at once (no thread runs
    /// the loop and no tick waits), no tick object is made at all.
    /// </summary>
    public void PostEvent(Event ev, StepInvocation source, string? targetStep) => Drain(direct: new(null, ev, source, targetStep));

    /// <summary>
    /// What a poster hands to the loop: a tick, or a step's sent event. The poster applies it itself when it gets the
    /// loop with nothing waiting before it; otherwise it goes in the inbox (an event as an <see cref="EventPosted"/>).
    /// </summary>
    private readonly record struct Direct(Tick? Tick, Event? Event = null, StepInvocation? Source = null, string? TargetStep = null)
    {
        public bool IsEmpty => Tick is null && Event is null;

        public Tick AsTick() => Tick ?? new EventPosted(Event!, Source, TargetStep);
    }

    /// <summary>Pushes <paramref name="tick"/> on the inbox (lock-free; any thread).</summary>
    private void Enqueue(Tick tick)
    {
        var head = Volatile.Read(ref _inbox.Posted);
        while (true)
        {
            tick.Next = head;
            var seen = Interlocked.CompareExchange(ref _inbox.Posted, tick, head);
            if (seen == head)
            {
                return;
            }
            head = seen;
        }
    }

    /// <summary>Takes every tick posted so far, oldest first (the loop's thread only).</summary>
    private Tick? TakeAll()
    {
        // Most passes find the inbox empty (a poster that gets the loop applies its own tick directly): no atomic then.
        if (Volatile.Read(ref _inbox.Posted) is null)
        {
            return null;
        }
        return Tick.Reverse(Interlocked.Exchange(ref _inbox.Posted, null));
    }

    // A worker that finished a step and then ran the loop goes on with one of the steps that pass launched, instead
    // of queueing it and going back to the pool: one thread hop less per step. Bounded per thread so a chain of
    // steps cannot deepen the stack.
    [ThreadStatic]
    private static int t_inlineDepth;
    private const int MaxInlineDepth = 2;
    private bool _inlineAllowed;
    private StepInvocation? _inlineNext;

    /// <summary>A step's result (the invocation itself): like <see cref="Post"/>, and the posting worker may run the next step itself.</summary>
    /// <param name="finished">The attempt, done.</param>
    /// <param name="queue">The queue of cheap steps this thread runs, when the caller has it at hand (else looked up).</param>
    public void PostFromStep(StepInvocation finished, InlineSteps? queue)
    {
        if (queue is null)
        {
            // After an await: this thread is whichever completed what the step awaited (a caller's, another step's).
            // It runs none of what the result launches: that goes to the thread pool.
            Drain(direct: new(finished));
            return;
        }
        // The step is done: cheap steps its result launches may wait for this thread (see InlineSteps).
        var outer = queue.Accepting;
        queue.Accepting = true;
        try
        {
            // Past the depth limit this thread runs no step nested: nothing is kept back for it.
            var launched = Drain(inline: t_inlineDepth < MaxInlineDepth, direct: new(finished));
            finished.EndRelease(); // its held sends are applied or queued with it: later sends may go straight in
            // Skipped when the run ended around it before it could start.
            if (launched is not { Done: false } next)
            {
                return;
            }
            if (queue.HasWaiting)
            {
                // Cheap steps wait for this thread: they go first, the ordinary one to the pool (it may run long).
                ThreadPool.UnsafeQueueUserWorkItem(next, preferLocal: true);
                return;
            }
            t_inlineDepth++;
            try
            {
                next.Execute();
            }
            finally
            {
                t_inlineDepth--;
            }
        }
        finally
        {
            queue.Accepting = outer;
        }
    }

    /// <summary>A graph step's view of the context (<paramref name="step"/> null for the engine's own reads).</summary>
    public WorkflowContext CreateContext(string? step) => new(RunId, step, Store, Outputs ?? new StepOutputs());

    /// <summary>Begins (or resumes) the run on the caller's thread; from then on, whoever posts a tick runs the loop.</summary>
    public void Start()
    {
        // The first steps start once this thread has let go of the loop: started while it still held it, their first
        // sends would find the loop taken and be left to this (the caller's) thread to apply.
        var later = t_launchLater ?? [];
        t_launchLater = null;
        _launchLater = later;
        Interlocked.Exchange(ref _inbox.Draining, 1);
        try
        {
            if (_resumed is null)
            {
                Begin();
            }
            else
            {
                Resume(_resumed);
            }
            AfterPass();
        }
        catch (Exception bug)
        {
            Crash(bug);
        }
        finally
        {
            _launchLater = null;
            Interlocked.Exchange(ref _inbox.Draining, 0); // a full fence: the inbox check that follows must not move above this release
        }
        foreach (var invocation in later)
        {
            ThreadPool.UnsafeQueueUserWorkItem(invocation, preferLocal: true);
        }
        later.Clear();
        t_launchLater = later;
        Drain();
    }

    [ThreadStatic]
    private static List<StepInvocation>? t_launchLater; // Start's list, kept per thread between runs
    private List<StepInvocation>? _launchLater; // while Start holds the loop

    /// <summary>
    /// Runs the loop on the calling thread while this thread holds the loop and ticks are waiting. Only one thread
    /// holds it at a time (a flag, not a lock: a thread that finds it taken leaves its tick to the holder), so the
    /// loop stays single-threaded without a dedicated thread or a wake-up hop per tick. <paramref name="direct"/>, the
    /// caller's own tick or event, is applied first when nothing waits before it, without passing through the inbox.
    /// </summary>
    private StepInvocation? Drain(bool inline = false, Direct direct = default)
    {
        StepInvocation? next = null;
        while (!direct.IsEmpty || Volatile.Read(ref _inbox.Posted) is not null)
        {
            if (Interlocked.CompareExchange(ref _inbox.Draining, 1, 0) != 0)
            {
                if (direct.IsEmpty)
                {
                    break;
                }
                // Another thread runs the loop: leave it to that one, then look again (it may have let go meanwhile).
                Enqueue(direct.AsTick());
                direct = default;
                continue;
            }
            if (!direct.IsEmpty && Volatile.Read(ref _inbox.Posted) is not null)
            {
                Enqueue(direct.AsTick()); // ticks wait before it: it goes behind them
                direct = default;
            }
            _inlineAllowed = inline && next is null;
            try
            {
                if (!direct.IsEmpty)
                {
                    ReadClockAgain();
                    ApplySafely(direct);
                    direct = default;
                }
                while (TakeAll() is { } batch)
                {
                    ReadClockAgain();
                    for (var tick = batch; tick is not null;)
                    {
                        var following = tick.Next;
                        tick.Next = null;
                        ApplySafely(new(tick));
                        tick = following;
                    }
                }
                AfterPass();
            }
            catch (Exception bug)
            {
                Crash(bug);
            }
            finally
            {
                _inlineAllowed = false;
                next ??= _inlineNext;
                _inlineNext = null;
                Interlocked.Exchange(ref _inbox.Draining, 0); // a full fence: the inbox check that follows must not move above this release
            }
        }
        return next;
    }

    /// <summary>Applies one tick or sent event; a defect ends the run and the pass goes on (refusing what follows).</summary>
    private void ApplySafely(in Direct direct)
    {
        try
        {
            if (direct.Tick is not { } tick)
            {
                if (!Ended)
                {
                    OnEventPosted(direct.Event!, direct.Source, direct.TargetStep);
                }
            }
            else if (Ended)
            {
                AfterEnd(tick);
            }
            else
            {
                Apply(tick);
            }
        }
        catch (Exception bug)
        {
            Crash(bug);
        }
    }

    /// <summary>After a batch of ticks: end an idle run, or mark it waiting; then publish what the pass produced.</summary>
    private void AfterPass()
    {
        if (!Ended)
        {
            // Idle with nothing to wait for ends the run; a workflow that takes events from outside waits for them.
            if (_active == 0 && Tasks.OpenCount == 0 && Model.ExternalEventTypes.Count == 0)
            {
                End(_graph?.Finish() ?? new RunFailed(new RunError(null, "no_stop_event",
                    "The run stopped without a StopEvent: no step is running and no event is queued.")));
            }
            else
            {
                SetWaiting(_active == 0);
            }
        }
        Flush();
        ReadClockAgain();
        if (Ended && AllPublished && !_closed)
        {
            Settle();
        }
    }

    /// <summary>
    /// Settled: no longer an active run. What only a running run needs (worker slots, collect buffers, timers) is let
    /// go now, so that a run the engine retains for lookups holds just what lookups read (items, state, outcome):
    /// retained runs outlive many collections, and every object they keep is copied up the GC's generations.
    /// </summary>
    private void Settle()
    {
        _closed = true;
        _pools = [];
        _collectBuffers = null;
        _timers = null;
        _acknowledgements = null;
    }

    /// <summary>A defect of the runtime itself: end the run visibly rather than leave it hanging.</summary>
    private void Crash(Exception bug)
    {
        End(new RunFailed(new RunError(null, "engine_error", bug.Message) { Exception = bug }));
        AfterPass();
    }

    private void Begin()
    {
        ReadClockAgain();
        _createdAt = Now;
        _status = RunStatus.Running;
        Append(new RunStarted(Model.Name, Model.Version, _start.Input, _start));
        _timeout?.Start();
        if (_graph is not null)
        {
            _graph.Begin();
        }
        else
        {
            Emit(_start, source: null, target: null);
        }
    }

    private void Apply(Tick tick)
    {
        switch (tick)
        {
            case CommitDone:
                _commitInFlight = false;
                break;
            case ExternalEventPosted external:
                OnExternalEvent(external);
                break;
            case EventPosted posted:
                OnEventPosted(posted.Event, posted.Source, posted.TargetStep);
                break;
            case StepInvocation { Done: false } finished:
                OnFinished(finished);
                break;
            case RetryDue due when due.Invocation.RetryTimer is { } timer:
                _timers?.Remove(timer);
                timer.Dispose();
                due.Invocation.RetryTimer = null;
                due.Invocation.RetryAt = null;
                Launch(due.Invocation);
                break;
            case StreamWrite write when !write.Invocation.Done:
                if (++write.Invocation.Written > write.Invocation.WritesDelivered)
                {
                    Append(new StreamWritten(write.Invocation.Step.Name, write.Data));
                }
                break;
            case CancelRequested cancel:
                End(new RunCanceled(cancel.Reason));
                break;
            case TaskAnswered answered:
                OnTaskAnswered(answered.TaskId, answered.Data, answered.CompletedBy, answered.Acknowledged);
                break;
            case TaskWithdrawn withdrawn:
                OnTaskWithdrawn(withdrawn);
                break;
            case TaskDeadlinePassed deadline:
                OnTaskDeadline(deadline.TaskId);
                break;
            case TimeoutElapsed:
                var active = ActiveSteps();
                End(new RunTimedOut(active, new RunError(null, "timeout",
                    $"The run timed out after {Model.Timeout!.Value.TotalSeconds:0.###} s; active steps: {(active.Count == 0 ? "none" : string.Join(", ", active))}.")));
                break;
        }
    }

    /// <summary>An attempt's outcome, after the sends it held back (a cheap step's: see StepInvocation.HeldSends.cs).</summary>
    private void OnFinished(StepInvocation finished)
    {
        for (var send = finished.TakeHeldWithOutcome(); send is not null; send = (EventPosted?)send.Next)
        {
            OnEventPosted(send.Event, finished, send.TargetStep);
            if (Ended)
            {
                return; // it was a StopEvent: the rest, and the outcome, come after the end
            }
        }
        if (finished.Threw)
        {
            OnThrew(finished, (Exception)finished.Result!);
        }
        else
        {
            OnReturned(finished, finished.Result);
        }
    }

    private void OnEventPosted(Event ev, StepInvocation? source, string? targetStep)
    {
        if (source is { Done: true })
        {
            return; // sent by an attempt whose outcome the loop has applied (one that timed out): dropped
        }
        // The re-run of an attempt a restart interrupted sends again what that attempt had sent: once is enough.
        if (source is null || ++source.Sent > source.SendsDelivered)
        {
            Emit(ev, source?.Step.Name, targetStep);
        }
    }

    // Lambdas live in their own methods: a captured variable makes C# allocate its closure where the variable's
    // scope begins, which in Apply would be on every tick.
    private void OnExternalEvent(ExternalEventPosted external)
    {
        Emit(external.Event, source: null, external.TargetStep);
        Acknowledge(_ => external.Acknowledged.TrySetResult());
    }

    private void OnReturned(StepInvocation invocation, object? result)
    {
        invocation.Done = true;
        if (_graph is not null)
        {
            _graph.OnReturned(invocation, (GraphStepResult)result!);
            return;
        }
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
        AppendStepCompleted(step, invocation.Worker, invocation.Attempt, group: null);
        if (result is Event ev)
        {
            Emit(ev, step.Name, target: null);
        }
        else if (Model.Verbose)
        {
            RunLog.StepProducedNoEvent(_logger, step.Name);
        }
        if (!Ended)
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
        Append(new StepRetrying(step.Name, invocation.Worker, invocation.Attempt, runError, delay.TotalMilliseconds) { Group = step.Group });
        RunLog.StepRetrying(_logger, error, step.Name, invocation.Attempt, delay.TotalMilliseconds);
        // The next attempt keeps the worker slot through the backoff: NumWorkers bounds invocations, not CPU.
        var next = new StepInvocation(this, step, invocation.Event, invocation.Worker, invocation.Attempt + 1) { Order = invocation.Order };
        PoolOf(step).Occupy(next);
        ScheduleRetry(next, delay);
    }

    /// <summary>Arms the backoff timer that will launch <paramref name="next"/> (which already holds its slot).</summary>
    private void ScheduleRetry(StepInvocation next, TimeSpan delay)
    {
        next.RetryAt = Time.GetUtcNow() + delay;
        next.RetryTimer = Time.CreateTimer(static state =>
        {
            var next = (StepInvocation)state!;
            next.Loop.Post(new RetryDue(next));
        }, next, delay, System.Threading.Timeout.InfiniteTimeSpan);
        (_timers ??= []).Add(next.RetryTimer);
    }

    /// <summary>Records the step's failure, then fails the run unless the graph absorbs it (a race member that lost).</summary>
    private void Fail(StepInvocation invocation, RunError error)
    {
        Append(new StepFailed(invocation.Step.Name, invocation.Worker, invocation.Attempt, error) { Group = invocation.Step.Group });
        var runError = _graph is null ? error : _graph.OnFailed(invocation, error);
        if (runError is null)
        {
            Release(invocation);
            return;
        }
        RunLog.RunFailed(_logger, runError.Exception, RunId, Model.Name, runError.Step);
        End(new RunFailed(runError));
    }

    private void Emit(Event ev, string? source, string? target)
    {
        var type = ev.GetType();
        AppendEventEmitted(ev, source, target);
        if (Model.Verbose && source is not null)
        {
            RunLog.StepProducedEvent(_logger, source, type.Name);
        }
        if (ev is StopEvent stop)
        {
            End(new RunCompleted(stop.RunResult), stop);
            return;
        }
        if (ev is InputRequiredEvent request)
        {
            AskForInput(request, source);
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

    /// <summary>Starts a graph step: opens its task if a person does it, else runs it.</summary>
    public void Start(StepModel step)
    {
        if (step.Human is { } human)
        {
            if (Tasks.Open(human, step) is { } error)
            {
                End(new RunFailed(error));
            }
            return;
        }
        Deliver(step, GraphTrigger.Instance);
    }

    /// <summary>Starts <paramref name="step"/> on <paramref name="ev"/> in a free slot of its pool, or queues it.</summary>
    public void Deliver(StepModel step, Event ev)
    {
        var pool = PoolOf(step);
        var worker = pool.FreeSlot();
        if (worker < 0)
        {
            pool.Enqueue(step, ev);
            return;
        }
        _active++;
        Launch(new StepInvocation(this, step, ev, worker, attempt: 1));
    }

    private void Launch(StepInvocation invocation)
    {
        var step = invocation.Step;
        PoolOf(step).Occupy(invocation);
        AppendStepStarted(step, invocation.Worker, invocation.Attempt, _graph is null ? invocation.Event.GetType().Name : null);
        if (invocation.Order == 0)
        {
            invocation.Order = _sequence;
        }
        if (Model.Verbose)
        {
            RunLog.RunningStep(_logger, step.Name);
        }
        if (step.Cost.IsCheap && InlineSteps.Current is { Accepting: true } queue)
        {
            queue.Add(invocation); // this worker runs it after its current step (see InlineSteps)
            return;
        }
        if (_launchLater is { } later)
        {
            later.Add(invocation); // the run is starting: see Start
            return;
        }
        if (_inlineAllowed && _inlineNext is null)
        {
            _inlineNext = invocation; // run by the worker that is draining, once it lets go of the loop
            return;
        }
        ThreadPool.UnsafeQueueUserWorkItem(invocation, preferLocal: true);
    }

    /// <summary>Frees the invocation's slot and hands it to the next waiting work of that pool, if any.</summary>
    public void Release(StepInvocation invocation)
    {
        var pool = PoolOf(invocation.Step);
        if (pool.TryDequeue(out var step, out var waiting))
        {
            Launch(new StepInvocation(this, step, waiting, invocation.Worker, attempt: 1));
            return;
        }
        pool.Release(invocation.Worker);
        _active--;
    }

    /// <summary>Cancels one invocation while the run goes on (a race loser): its token fires and its slot frees.</summary>
    public void CancelAlone(StepInvocation invocation, string reason)
    {
        invocation.Done = true;
        if (invocation.RetryTimer is { } timer)
        {
            _timers?.Remove(timer);
            timer.Dispose();
            invocation.RetryTimer = null;
        }
        invocation.CancelAlone();
        Append(new StepCanceled(invocation.Step.Name, invocation.Worker, invocation.Attempt, reason) { Group = invocation.Step.Group });
        Release(invocation);
    }

    /// <summary>The invocations currently holding a slot of <paramref name="step"/>'s pool.</summary>
    public IReadOnlyList<StepInvocation> RunningWith(StepModel step) => PoolOf(step).Running.Where(i => !i.Done).ToArray();

    /// <summary>Ends the run with <paramref name="item"/>: in-flight attempts are recorded canceled, then the terminal item.</summary>
    public void End(RunEnded item, StopEvent? stop = null)
    {
        if (Ended)
        {
            return;
        }
        Ended = true;
        var reason = item.Status switch
        {
            RunStatus.Completed => "the run completed",
            RunStatus.Failed => "the run failed",
            RunStatus.Canceled => "the run canceled",
            _ => "the run timed out",
        };
        foreach (var pool in _pools)
        {
            // By slot, not through a copy: appending StepCanceled changes no slot.
            for (var slot = 0; pool.Busy > 0 && slot < pool.Size; slot++)
            {
                if (pool.InSlot(slot) is not { Done: false } invocation)
                {
                    continue;
                }
                invocation.Done = true;
                // An attempt still waiting out its backoff never started: its step.retrying already closed the last one.
                if (invocation.RetryTimer is null)
                {
                    Append(new StepCanceled(invocation.Step.Name, invocation.Worker, invocation.Attempt, reason) { Group = invocation.Step.Group });
                }
            }
        }
        Tasks.CancelAll(reason);
        var error = item switch
        {
            RunFailed failed => failed.Error,
            RunTimedOut timedOut => timedOut.Error,
            RunCanceled canceled => new RunError(null, "canceled", canceled.Reason ?? "The run was canceled."),
            _ => null,
        };
        // The outcome before the status (a volatile write): whoever reads a terminal status reads the outcome too.
        _final = new RunOutcome(item.Status, (item as RunCompleted)?.Result, error) { StopEvent = stop };
        _status = item.Status;
        Append(item, terminal: true);
        Model.ObserveItemCount(_sequence);
        if (_timers is not null)
        {
            foreach (var timer in _timers)
            {
                timer.Dispose();
            }
            _timers.Clear();
        }
        _timeout?.Stop();
        _canceling = true;
        Interlocked.MemoryBarrier(); // the flag before the look: see RunCancellation
        if (Volatile.Read(ref _cancellation) is { } source)
        {
            _ = source.CancelAsync();
        }
        RunLog.RunEnded(_logger, RunId, Model.Name, item.Status.ToWireName());
    }

    private void AskForInput(InputRequiredEvent request, string? source)
    {
        var step = source ?? "external";
        if (Tasks.Service.Validator.CheckSchema(request.FormSchema) is { Count: > 0 } problems)
        {
            End(new RunFailed(new RunError(step, "invalid_form",
                $"Step '{step}' asked for input with an invalid form schema: {string.Join("; ", problems)}")));
            return;
        }
        // As a graph human step's at registration: the deadline's answer must satisfy the form like any other.
        if (request.OnDue is DefaultOutcomeAction { Data: var data } && Tasks.Service.Validator.Validate(request.FormSchema, data) is { Count: > 0 } violations)
        {
            End(new RunFailed(new RunError(step, "invalid_form",
                $"Step '{step}' asked for input with a default outcome that does not satisfy its form: {string.Join("; ", violations.Select(v => $"{v.Pointer} {v.Message}"))}")));
            return;
        }
        if (Tasks.Open(request, step) is { } error)
        {
            End(new RunFailed(error));
        }
    }

    private void OnTaskAnswered(string taskId, JsonObject data, string completedBy, TaskCompletionSource<TaskCompletionResult>? acknowledged)
    {
        var now = Time.GetUtcNow();
        if (Tasks.Close(taskId, t => t with { Status = HumanTaskStatus.Completed, CompletedBy = completedBy, CompletedAt = now, Data = data }) is not { } closed)
        {
            Tasks.Service.Unclaim(taskId);
            acknowledged?.TrySetException(new TaskConflictException(taskId, $"Task '{taskId}' is no longer open."));
            return;
        }
        Append(new TaskCompleted(taskId, closed.Task.Step, completedBy, data));
        if (_graph is not null)
        {
            _graph.OnHumanAnswered(closed.Step!, data);
        }
        else
        {
            Emit(new HumanResponseEvent(taskId, data) { Step = closed.Task.Step, CompletedBy = completedBy }, source: null, target: null);
        }
        if (acknowledged is not null)
        {
            Acknowledge(status => acknowledged.TrySetResult(new TaskCompletionResult(closed.Task, status)));
        }
    }

    private void OnTaskWithdrawn(TaskWithdrawn withdrawn)
    {
        var now = Time.GetUtcNow();
        if (Tasks.Close(withdrawn.TaskId, t => t with { Status = HumanTaskStatus.Canceled, CancelReason = withdrawn.Reason, CompletedAt = now }) is not { } closed)
        {
            Tasks.Service.Unclaim(withdrawn.TaskId);
            withdrawn.Acknowledged.TrySetException(new TaskConflictException(withdrawn.TaskId, $"Task '{withdrawn.TaskId}' is no longer open."));
            return;
        }
        Append(new TaskCanceled(withdrawn.TaskId, closed.Task.Step, withdrawn.Reason));
        _graph?.OnHumanWithdrawn(closed.Step!);
        Acknowledge(_ => withdrawn.Acknowledged.TrySetResult(closed.Task));
    }

    private void OnTaskDeadline(string taskId)
    {
        var task = Tasks.Service.Get(taskId);
        switch (task?.OnDue)
        {
            case DefaultOutcomeAction outcome when task.Status == HumanTaskStatus.Pending:
                OnTaskAnswered(taskId, (JsonObject)outcome.Data.DeepClone(), "deadline", acknowledged: null);
                break;
            case EscalateAction escalate when Tasks.Escalate(taskId, escalate.Group) is { } escalated:
                Append(new TaskEscalated(taskId, escalated.Step, escalate.Group));
                break;
        }
    }

    /// <summary>Waiting: nothing runs and a person is needed. The run timeout does not count that time.</summary>
    private void SetWaiting(bool waiting)
    {
        if (waiting && _status != RunStatus.Waiting)
        {
            _status = RunStatus.Waiting;
            _timeout?.Pause();
            Append(new RunWaiting(Tasks.OpenIds));
        }
        else if (!waiting && _status == RunStatus.Waiting)
        {
            _status = RunStatus.Running;
            _timeout?.Resume();
        }
    }

    /// <summary>Something to tell a caller once this pass is published, with the run's status then.</summary>
    private void Acknowledge(Action<RunStatus> acknowledgement) => (_acknowledgements ??= []).Add(acknowledgement);

    private WorkerPool PoolOf(StepModel step) => _pools[Model.PoolOf(step)];

    /// <summary>Steps holding a worker slot: running, or waiting out a retry backoff.</summary>
    private List<string> ActiveSteps() =>
        _pools.SelectMany(p => p.Running).Where(i => !i.Done).Select(i => i.Step.Name)
            .Concat(Tasks.OpenIds.Select(id => Tasks.Service.Get(id)!.Step))
            .Distinct().Order(StringComparer.Ordinal).ToList();
}
