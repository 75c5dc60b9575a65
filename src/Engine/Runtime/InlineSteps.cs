namespace Workflows.Runtime;

/// <summary>
/// A worker thread's queue of cheap step invocations (<see cref="Model.StepCost"/>): launched while the thread runs
/// steps, run by that thread once its current step is done instead of each going through the thread pool. For a step
/// that takes a microsecond, the hop to another core (and the run's loop following it there) costs more than the step.
/// </summary>
/// <remarks>
/// Only a thread-pool thread running a step as its work item owns a queue: a caller starting a run, a timer, a request
/// thread, or a thread that completed what a step awaited never queues steps here. Launches may join only while a
/// cheap step runs or the result of a step that ran without awaiting is applied, so nothing waits behind code expected
/// to run long. If a queued step turns out slow, or blocks
/// (even on a sibling queued behind it), or a long chain of steps keeps the thread busy, the <see cref="Watchdog"/>
/// hands what waits to the thread pool: no step waits here much longer than two of its periods.
/// </remarks>
internal sealed class InlineSteps
{
    [ThreadStatic]
    private static InlineSteps? t_owned; // this thread's queue while the outermost Execute on it runs the queue

    [ThreadStatic]
    private static InlineSteps? t_mine; // this thread's queue, made once

    // A stack: the step launched last runs first, so a step's follow-up runs while what it touched is in this core's
    // cache, and frees its worker slot before its siblings queue for one.
    private StepInvocation?[] _slots = new StepInvocation?[16];
    private int _count; // owner only
    private int _added; // owner writes, the watchdog reads
    private int _taken; // owner writes, the watchdog reads: progress
    private int _takenAtLastLook = -1; // the watchdog only
    private StepInvocation? _runningAtLastLook; // the watchdog only

    /// <summary>This thread's queue while it is being run, else null.</summary>
    public static InlineSteps? Current => t_owned;

    /// <summary>Whether a launch may join now (owner only): a cheap step runs, or a finished step's results are applied.</summary>
    public bool Accepting { get; set; }

    /// <summary>The attempt whose code this thread runs now (owner writes; the watchdog reads it to blame a holdup).</summary>
    public StepInvocation? Running
    {
        get => Volatile.Read(ref _running);
        set => _running = value;
    }

    private StepInvocation? _running;

    /// <summary>Takes this thread's queue, or returns null when an outer Execute on this thread has it (and will run it) or this is not a thread-pool thread.</summary>
    public static InlineSteps? Enter()
    {
        if (t_owned is not null || !Thread.CurrentThread.IsThreadPoolThread)
        {
            return null;
        }
        return t_owned = t_mine ??= Watchdog.Register(new InlineSteps());
    }

    /// <summary>Queues <paramref name="invocation"/> (owner only; it holds its worker slot already).</summary>
    public void Add(StepInvocation invocation)
    {
        if (_count == _slots.Length)
        {
            var larger = new StepInvocation?[_slots.Length * 2];
            Array.Copy(_slots, larger, _count);
            Volatile.Write(ref _slots, larger);
        }
        _slots[_count++] = invocation;
        if (_added == _taken)
        {
            // Was empty: a full fence between counting it and looking at the watchdog (see Watchdog.Tick).
            Interlocked.Increment(ref _added);
            Watchdog.Arm();
        }
        else
        {
            Volatile.Write(ref _added, _added + 1);
        }
    }

    /// <summary>Runs every queued invocation, and what those queue, then gives the queue up (owner only).</summary>
    public void RunAllAndLeave()
    {
        try
        {
            while (_count > 0)
            {
                var invocation = _slots[--_count]!;
                _slots[_count] = null;
                Volatile.Write(ref _taken, _taken + 1);
                // Skipped when the watchdog handed it to the thread pool, or its run ended while it waited.
                if (invocation.TryClaim() && !invocation.Done)
                {
                    invocation.RunHere(this);
                }
            }
        }
        finally
        {
            // Normally empty by now; after a defect, what is left still runs, on the thread pool.
            while (_count > 0)
            {
                if (_slots[--_count] is { } left && left.TryClaim())
                {
                    ThreadPool.UnsafeQueueUserWorkItem(left, preferLocal: false);
                }
                _slots[_count] = null;
            }
            Volatile.Write(ref _taken, _added);
            t_owned = null;
        }
    }

    /// <summary>True while invocations wait in the queue (owner only).</summary>
    public bool HasWaiting => _count > 0;

    /// <summary>
    /// The watchdog's look (its thread): true when steps wait. A step it already saw waiting at its last look goes to
    /// the thread pool now (the owner skips what it finds claimed), so no step waits here much longer than two periods,
    /// whether its thread is held up or busy with a long chain of others. A thread that started nothing since the last
    /// look is held up: whatever it runs is not cheap.
    /// </summary>
    private bool Look(ref List<StepInvocation>? release)
    {
        var taken = Volatile.Read(ref _taken);
        var running = Running;
        var waiting = Volatile.Read(ref _added) != taken;
        if (!waiting && running is not { HoldsSends: true })
        {
            (_takenAtLastLook, _runningAtLastLook) = (-1, null);
            return false;
        }
        if (taken == _takenAtLastLook && running is not null && running == _runningAtLastLook)
        {
            // Held up: what it runs is not cheap, and what it has sent goes to the loop (it may be waiting for that).
            running.Step.Cost.Observe(TimeSpan.MaxValue);
            if (running.HoldsSends)
            {
                (release ??= []).Add(running);
            }
        }
        (_takenAtLastLook, _runningAtLastLook) = (taken, running);
        foreach (var queued in Volatile.Read(ref _slots))
        {
            if (queued is null || queued.IsClaimed)
            {
                continue;
            }
            if (!queued.SeenWaiting)
            {
                queued.SeenWaiting = true;
            }
            else if (queued.TryClaim() && !queued.Done)
            {
                ThreadPool.UnsafeQueueUserWorkItem(queued, preferLocal: false); // (its run ended meanwhile: dropped)
            }
        }
        return true;
    }

    /// <summary>
    /// One process-wide timer, armed only while some queue holds steps. It is scheduling, not workflow time: a run's
    /// <see cref="TimeProvider"/> (a fake one in tests) must not be able to stop it.
    /// </summary>
    internal static class Watchdog
    {
        public static readonly TimeSpan Period = TimeSpan.FromMilliseconds(20);
        private static readonly Lock s_gate = new();
        private static WeakReference<InlineSteps>[] s_queues = [];
        private static readonly Timer s_timer = CreateTimer();
        private static int s_armed;

        public static InlineSteps Register(InlineSteps queue)
        {
            lock (s_gate)
            {
                // A queue lives as long as its thread: drop the ones of threads that have exited.
                s_queues = [.. s_queues.Where(q => q.TryGetTarget(out _)), new WeakReference<InlineSteps>(queue)];
            }
            return queue;
        }

        public static void Arm()
        {
            if (Volatile.Read(ref s_armed) == 0 && Interlocked.CompareExchange(ref s_armed, 1, 0) == 0)
            {
                s_timer.Change(Period, Period);
            }
        }

        private static void Tick()
        {
            if (!s_gate.TryEnter())
            {
                return; // a registration, or an overlapping tick: the next tick looks
            }
            List<StepInvocation>? release = null;
            try
            {
                if (!LookAtAll(ref release))
                {
                    // Nothing waits: disarm, then look once more. An Add counts before it looks at s_armed, this writes
                    // s_armed before it counts (both fenced), so one of the two sees the other and the timer stays armed.
                    s_timer.Change(Timeout.Infinite, Timeout.Infinite);
                    Interlocked.Exchange(ref s_armed, 0);
                    if (LookAtAll(ref release))
                    {
                        Arm();
                    }
                }
            }
            finally
            {
                s_gate.Exit();
            }
            // Outside the gate: posting runs the step's loop on this thread, which may take a while.
            if (release is not null)
            {
                foreach (var held in release)
                {
                    held.ReleaseHeldForWatchdog();
                }
            }
        }

        private static bool LookAtAll(ref List<StepInvocation>? release)
        {
            var waiting = false;
            foreach (var reference in s_queues)
            {
                if (reference.TryGetTarget(out var queue))
                {
                    waiting |= queue.Look(ref release);
                }
            }
            return waiting;
        }

        private static Timer CreateTimer()
        {
            // Not the ambient context of whichever step touched this class first.
            if (ExecutionContext.IsFlowSuppressed())
            {
                return new Timer(static _ => Tick());
            }
            using var suppressed = ExecutionContext.SuppressFlow();
            return new Timer(static _ => Tick());
        }
    }
}
