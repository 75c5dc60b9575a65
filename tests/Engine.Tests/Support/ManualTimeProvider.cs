namespace Workflows.Engine.Tests.Support;

/// <summary>
/// A clock that only moves when a test calls <see cref="Advance"/>. Its timers fire synchronously inside
/// <see cref="Advance"/>, on the caller's thread, in due order, with the clock set to each timer's due time; a
/// disposed or re-armed timer never fires for its old due time. So whether (and in which order) the engine's
/// deadlines and run timeouts fire depends only on what the test advanced, never on the machine's speed.
/// </summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<ManualTimer> _timers = [];
    private readonly DateTimeOffset _origin;
    private long _elapsedTicks;
    private long _created;

    public ManualTimeProvider(DateTimeOffset? origin = null) =>
        _origin = origin ?? new DateTimeOffset(2025, 1, 6, 9, 0, 0, TimeSpan.Zero);

    /// <summary>How many timers were ever created (armed or not).</summary>
    public long TimersCreated
    {
        get
        {
            lock (_gate)
            {
                return _created;
            }
        }
    }

    /// <summary>How many timers are armed (will fire if the clock moves far enough).</summary>
    public int ArmedTimers
    {
        get
        {
            lock (_gate)
            {
                return _timers.Count(t => t.DueAt is not null);
            }
        }
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _origin.AddTicks(_elapsedTicks);
        }
    }

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp()
    {
        lock (_gate)
        {
            return _elapsedTicks;
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new ManualTimer(this, callback, state);
        lock (_gate)
        {
            _created++;
            _timers.Add(timer);
            timer.ArmLocked(dueTime, period);
        }
        return timer;
    }

    /// <summary>Moves the clock forward by <paramref name="by"/>, firing every timer that falls due on the way.</summary>
    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        long target;
        lock (_gate)
        {
            target = _elapsedTicks + by.Ticks;
        }
        while (true)
        {
            ManualTimer? due;
            lock (_gate)
            {
                due = _timers.Where(t => t.DueAt is { } at && at <= target).MinBy(t => t.DueAt!.Value);
                if (due is null)
                {
                    _elapsedTicks = Math.Max(_elapsedTicks, target);
                    return;
                }
                _elapsedTicks = Math.Max(_elapsedTicks, due.DueAt!.Value);
                due.DueAt = due.Period is { } period ? _elapsedTicks + period : null;
            }
            // Outside the lock: the callback may create, change or dispose timers.
            due.Fire();
        }
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        private bool _disposed;

        /// <summary>When it fires next (in the owner's elapsed ticks), or null when disarmed. Guarded by the owner's lock.</summary>
        public long? DueAt { get; set; }

        /// <summary>The period in ticks, or null for a one-shot timer. Guarded by the owner's lock.</summary>
        public long? Period { get; private set; }

        public void ArmLocked(TimeSpan dueTime, TimeSpan period)
        {
            DueAt = dueTime == Timeout.InfiniteTimeSpan ? null : owner._elapsedTicks + Math.Max(0, dueTime.Ticks);
            Period = period == Timeout.InfiniteTimeSpan || period <= TimeSpan.Zero ? null : period.Ticks;
        }

        public void Fire() => callback(state);

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._gate)
            {
                if (_disposed)
                {
                    return false;
                }
                ArmLocked(dueTime, period);
                return true;
            }
        }

        public void Dispose()
        {
            lock (owner._gate)
            {
                _disposed = true;
                DueAt = null;
                owner._timers.Remove(this);
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
