using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Workflows.Persistence;

namespace Workflows.Runtime.Durability;

/// <summary>
/// Group commit: run loops hand over their passes' commits; one writer commits whatever has gathered, across all
/// runs, in one transaction, then tells each loop (which only then publishes the items and answers its callers).
/// The busier the engine, the bigger the batches and the cheaper each run's durability.
/// </summary>
internal sealed class RunCommitter : IAsyncDisposable
{
    private const int MaxBatch = 1024;
    private readonly Channel<(RunCommit Commit, Action Committed)> _queue =
        Channel.CreateUnbounded<(RunCommit, Action)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly IRunStore _store;
    private readonly ILogger _logger;
    private readonly Task _writer;

    public RunCommitter(IRunStore store, ILogger logger)
    {
        _store = store;
        _logger = logger;
        _writer = Task.Run(WriteAsync);
    }

    /// <summary>Queues <paramref name="commit"/>; <paramref name="committed"/> runs once it is durable.</summary>
    public void Enqueue(RunCommit commit, Action committed)
    {
        if (!_queue.Writer.TryWrite((commit, committed)))
        {
            throw new ObjectDisposedException(nameof(RunCommitter), "The engine is shutting down; nothing more is committed.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }

    private async Task WriteAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<(RunCommit Commit, Action Committed)>();
        var commits = new List<RunCommit>();
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < MaxBatch && reader.TryRead(out var next))
            {
                batch.Add(next);
                commits.Add(next.Commit);
            }
            await CommitWithRetriesAsync(commits).ConfigureAwait(false);
            foreach (var (_, committed) in batch)
            {
                try
                {
                    committed();
                }
                catch (Exception error)
                {
                    DurabilityLog.AfterCommitFailed(_logger, error);
                }
            }
            batch.Clear();
            commits.Clear();
        }
    }

    /// <summary>
    /// Nothing is acknowledged before it is durable, so a failing store holds every run back rather than letting
    /// one run on unsaved: retry with a growing pause, and say so in the log.
    /// </summary>
    private async Task CommitWithRetriesAsync(List<RunCommit> commits)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await _store.CommitAsync(commits, CancellationToken.None).ConfigureAwait(false);
                return;
            }
            catch (Exception error)
            {
                var pause = TimeSpan.FromMilliseconds(Math.Min(5000, 50 * Math.Pow(2, Math.Min(attempt, 10))));
                DurabilityLog.CommitFailed(_logger, error, commits.Count, attempt, pause.TotalMilliseconds);
                await Task.Delay(pause).ConfigureAwait(false);
            }
        }
    }
}
