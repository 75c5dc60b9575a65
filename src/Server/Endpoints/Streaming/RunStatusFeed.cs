using System.Threading.Channels;
using Workflows.Server.Endpoints.Contracts;

namespace Workflows.Server.Endpoints.Streaming;

/// <summary>
/// Every run's status changes, for any number of subscribers (<c>GET /api/instances/events</c>): one connection
/// follows all runs, where a page would otherwise need one event stream per run (browsers allow about six
/// connections per host). Fed by <see cref="LocalExecutionEngine.RunStatusChanged"/>.
/// </summary>
/// <remarks>
/// A subscriber that falls <see cref="SubscriberCapacity"/> changes behind is dropped (its stream ends and the client
/// reloads the list) rather than slowing runs down or growing without bound.
/// </remarks>
internal sealed class RunStatusFeed(LocalExecutionEngine engine) : IHostedService
{
    /// <summary>How many changes a subscriber may have unread before it is dropped.</summary>
    public const int SubscriberCapacity = 4096;

    private readonly Lock _gate = new();
    private Channel<StatusFrame>[] _subscribers = [];
    private bool _subscribed;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Ends every subscription, so that open streams do not hold the shutdown up.</summary>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        Channel<StatusFrame>[] subscribers;
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
        var channel = Channel.CreateBounded<StatusFrame>(new BoundedChannelOptions(SubscriberCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait, // TryWrite then fails, and Publish drops the subscriber
        });
        lock (_gate)
        {
            _subscribers = [.. _subscribers, channel];
            // The engine builds change records only while someone listens: listen from the first subscriber on.
            if (!_subscribed)
            {
                _subscribed = true;
                engine.RunStatusChanged += Publish;
            }
        }
        return new Subscription(this, channel);
    }

    private void Leave(Channel<StatusFrame> channel)
    {
        lock (_gate)
        {
            _subscribers = Array.FindAll(_subscribers, s => s != channel);
        }
        channel.Writer.TryComplete();
    }

    private void Publish(RunStatusChange change)
    {
        var subscribers = Volatile.Read(ref _subscribers);
        if (subscribers.Length == 0)
        {
            return;
        }
        // Encoded once here, not once per subscriber.
        var frame = new StatusFrame(change.Workflow, StatusStreamResult.Encode(
            new InstanceStatusChange(change.RunId, change.Workflow, change.Version, change.Status, change.Previous, change.Item, change.Sequence, change.Timestamp)));
        foreach (var subscriber in subscribers)
        {
            if (!subscriber.Writer.TryWrite(frame))
            {
                Leave(subscriber); // too far behind (or already gone): its stream ends, the client starts over
            }
        }
    }

    /// <summary>One subscriber's changes, in the order they happened.</summary>
    internal sealed class Subscription(RunStatusFeed feed, Channel<StatusFrame> channel) : IDisposable
    {
        /// <summary>The changes; the reader completes when the subscriber is dropped or the server stops.</summary>
        public ChannelReader<StatusFrame> Changes => channel.Reader;

        public void Dispose() => feed.Leave(channel);
    }
}

/// <summary>One status change as its SSE frame's bytes, with its workflow for the stream's filter.</summary>
internal sealed record StatusFrame(string Workflow, byte[] Bytes);
