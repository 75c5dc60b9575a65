using System.Collections.Concurrent;
using System.Threading.Channels;
using Workflows.Server.Endpoints.Contracts;

namespace Workflows.Server.Endpoints.Streaming;

/// <summary>
/// Every run's status changes, for any number of subscribers (<c>GET /api/instances/events</c>): one connection
/// follows all runs, where a page would otherwise need one event stream per run (browsers allow about six
/// connections per host). Derived from the items the engine publishes (<see cref="LocalExecutionEngine.ItemPublished"/>):
/// <c>run.started</c> → running, <c>run.waiting</c> → waiting, the first other item after it → running again, the
/// terminal item → its ending.
/// </summary>
/// <remarks>
/// Items of one run arrive in order on one thread at a time, so a run's entry needs no lock; entries live while the
/// run does. A subscriber that falls <see cref="SubscriberCapacity"/> changes behind is dropped (its stream ends and
/// the client reloads the list) rather than slowing runs down or growing without bound.
/// </remarks>
internal sealed class RunStatusFeed(LocalExecutionEngine engine) : IHostedService
{
    /// <summary>How many changes a subscriber may have unread before it is dropped.</summary>
    public const int SubscriberCapacity = 4096;

    private sealed class Entry(string workflow, string version)
    {
        public string Workflow { get; } = workflow;
        public string Version { get; } = version;
        public RunStatus? Status { get; set; }
    }

    private readonly ConcurrentDictionary<string, Entry> _runs = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private Channel<InstanceStatusChange>[] _subscribers = [];
    private int _waiting; // runs now waiting: while none is, other items need no look-up

    public Task StartAsync(CancellationToken cancellationToken)
    {
        engine.ItemPublished += OnItem;
        return Task.CompletedTask;
    }

    /// <summary>Ends every subscription, so that open streams do not hold the shutdown up.</summary>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        engine.ItemPublished -= OnItem;
        Channel<InstanceStatusChange>[] subscribers;
        lock (_gate)
        {
            subscribers = _subscribers;
            _subscribers = [];
        }
        foreach (var subscriber in subscribers)
        {
            subscriber.Writer.TryComplete();
        }
        return Task.CompletedTask;
    }

    /// <summary>A new subscription: every change from now on. Dispose it to leave.</summary>
    public Subscription Subscribe()
    {
        var channel = Channel.CreateBounded<InstanceStatusChange>(new BoundedChannelOptions(SubscriberCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait, // TryWrite then fails, and Publish drops the subscriber
        });
        lock (_gate)
        {
            _subscribers = [.. _subscribers, channel];
        }
        return new Subscription(this, channel);
    }

    private void Leave(Channel<InstanceStatusChange> channel)
    {
        lock (_gate)
        {
            _subscribers = Array.FindAll(_subscribers, s => s != channel);
        }
        channel.Writer.TryComplete();
    }

    private void OnItem(RunItem item)
    {
        RunStatus? next = item switch
        {
            RunStarted => RunStatus.Running,
            RunWaiting => RunStatus.Waiting,
            RunEnded ended => ended.Status,
            _ => null,
        };
        Entry? entry;
        if (next is null)
        {
            // Anything else a waiting run publishes means it goes on.
            if (Volatile.Read(ref _waiting) == 0 || !_runs.TryGetValue(item.RunId, out entry) || entry.Status != RunStatus.Waiting)
            {
                return;
            }
            next = RunStatus.Running;
        }
        else if (!_runs.TryGetValue(item.RunId, out entry))
        {
            entry = item is RunStarted started
                ? new Entry(started.Workflow, started.Version)
                : engine.FindRun(item.RunId) is { } run ? new Entry(run.Workflow, run.Version) : new Entry("", "");
            if (!next.Value.IsTerminal())
            {
                _runs[item.RunId] = entry;
            }
        }

        var previous = entry.Status;
        if (previous == next)
        {
            return;
        }
        entry.Status = next;
        if (previous == RunStatus.Waiting)
        {
            Interlocked.Decrement(ref _waiting);
        }
        if (next == RunStatus.Waiting)
        {
            Interlocked.Increment(ref _waiting);
        }
        if (next.Value.IsTerminal())
        {
            _runs.TryRemove(item.RunId, out _);
        }
        Publish(new InstanceStatusChange(item.RunId, entry.Workflow, entry.Version, next.Value, previous, item.Type, item.Sequence, item.Timestamp));
    }

    private void Publish(InstanceStatusChange change)
    {
        foreach (var subscriber in Volatile.Read(ref _subscribers))
        {
            if (!subscriber.Writer.TryWrite(change))
            {
                Leave(subscriber); // too far behind (or already gone): its stream ends, the client starts over
            }
        }
    }

    /// <summary>One subscriber's changes, in the order they happened.</summary>
    internal sealed class Subscription(RunStatusFeed feed, Channel<InstanceStatusChange> channel) : IDisposable
    {
        /// <summary>The changes; the reader completes when the subscriber is dropped or the server stops.</summary>
        public ChannelReader<InstanceStatusChange> Changes => channel.Reader;

        public void Dispose() => feed.Leave(channel);
    }
}
