using Workflows.Runtime.Ticks;

namespace Workflows.Runtime;

/// <summary>
/// A run's wall-clock bound. Time spent waiting for a person is not counted unless the workflow asks for it:
/// the timer is paused while the run waits and re-armed with what was left.
/// </summary>
internal sealed class RunTimeout(RunLoop loop, TimeSpan? limit)
{
    private TimeSpan _remaining = limit ?? Timeout.InfiniteTimeSpan;
    private long _armedAt;
    private ITimer? _timer;

    public void Start() => Arm();

    /// <summary>What is left of the budget now, for a commit; null without a limit.</summary>
    public double? RemainingMs => limit is null ? null
        : Math.Max(0, (_timer is null ? _remaining : _remaining - loop.Time.GetElapsedTime(_armedAt)).TotalMilliseconds);

    /// <summary>Resumes with what was left before a restart; armed unless the run is waiting (and waiting does not count).</summary>
    public void Restore(double? remainingMs, bool waiting)
    {
        if (limit is null || remainingMs is null)
        {
            return;
        }
        _remaining = TimeSpan.FromMilliseconds(remainingMs.Value);
        if (!waiting || loop.Model.TimeoutCountsWaiting)
        {
            Arm();
        }
    }

    public void Pause()
    {
        if (_timer is null || loop.Model.TimeoutCountsWaiting)
        {
            return;
        }
        _timer.Dispose();
        _timer = null;
        _remaining -= loop.Time.GetElapsedTime(_armedAt);
        if (_remaining < TimeSpan.Zero)
        {
            _remaining = TimeSpan.Zero;
        }
    }

    public void Resume()
    {
        if (_timer is null && limit is not null && !loop.Model.TimeoutCountsWaiting)
        {
            Arm();
        }
    }

    public void Stop()
    {
        _timer?.Dispose();
        _timer = null;
    }

    private void Arm()
    {
        if (limit is null)
        {
            return;
        }
        _armedAt = loop.Time.GetTimestamp();
        _timer = loop.Time.CreateTimer(static state => ((RunLoop)state!).Post(new TimeoutElapsed()), loop, _remaining, Timeout.InfiniteTimeSpan);
    }
}
