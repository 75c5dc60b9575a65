using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Workflows.Persistence;

namespace Workflows.Runtime.Durability;

/// <summary>
/// Group commit: run loops hand over their passes' commits; one writer commits whatever has gathered, across all
/// runs, in one transaction, then tells each loop (which only then publishes the items and answers its callers).
/// The busier the engine, the bigger the batches and the cheaper each run's durability.
/// </summary>
/// <remarks>
/// Nothing is acknowledged before it is durable, so a refused batch is not dropped: it is split in halves by run until
/// the runs whose changes the store refuses on their own are found. Those runs are held and retried alone with a
/// growing pause (they wait, nothing of theirs is lost, and a restart resumes them from what was committed), while
/// every other run goes on. When no part of a batch can be committed (the store is down), the batch is held whole.
/// </remarks>
internal sealed class RunCommitter : IAsyncDisposable
{
    private const int MaxBatch = 1024;
    private static readonly TimeSpan s_maxPause = TimeSpan.FromSeconds(5);
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly List<Held> _held = []; // writer only
    private readonly IRunStore _store;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Task _writer;

    public RunCommitter(IRunStore store, ILogger logger, TimeProvider? time = null)
    {
        _store = store;
        _logger = logger;
        _time = time ?? TimeProvider.System; // the pause between retries: infrastructure time, not a run's clock
        _writer = Task.Run(WriteAsync);
    }

    private readonly record struct Pending(RunCommit Commit, Action Committed);

    /// <summary>Commits the store refused, waiting for their next attempt: one run's, or a whole batch's while the store is down.</summary>
    private sealed class Held(List<Pending> commits, int attempts, DateTimeOffset due)
    {
        public List<Pending> Commits { get; } = commits;
        public int Attempts { get; } = attempts;
        public DateTimeOffset Due { get; } = due;
    }

    /// <summary>Queues <paramref name="commit"/>; <paramref name="committed"/> runs once it is durable.</summary>
    public void Enqueue(RunCommit commit, Action committed)
    {
        if (!_queue.Writer.TryWrite(new(commit, committed)))
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
        var batch = new List<Pending>();
        while (await WaitForWorkAsync().ConfigureAwait(false))
        {
            await RetryDueAsync(all: false).ConfigureAwait(false);
            while (batch.Count < MaxBatch && reader.TryRead(out var next))
            {
                // A held run's later changes wait behind its refused ones, in order.
                if (_held.Count > 0 && _held.Find(h => h.Commits.Exists(p => p.Commit.RunId == next.Commit.RunId)) is { } held)
                {
                    held.Commits.Add(next);
                    continue;
                }
                batch.Add(next);
            }
            if (batch.Count > 0)
            {
                await CommitAsync(batch, attempts: 0, lastChance: false).ConfigureAwait(false);
                batch.Clear();
            }
        }
        // Shutting down: one last attempt for what is held. What still fails stays uncommitted and unacknowledged;
        // its runs resume from what was committed on the next start.
        await RetryDueAsync(all: true).ConfigureAwait(false);
    }

    /// <summary>Waits for new commits or the next held retry; false once the queue is completed and drained.</summary>
    private async Task<bool> WaitForWorkAsync()
    {
        var reader = _queue.Reader;
        if (_held.Count == 0)
        {
            return await reader.WaitToReadAsync().ConfigureAwait(false);
        }
        var wait = _held.Min(h => h.Due) - _time.GetUtcNow();
        if (wait <= TimeSpan.Zero)
        {
            return !reader.Completion.IsCompleted;
        }
        using var retry = new CancellationTokenSource(wait, _time);
        try
        {
            return await reader.WaitToReadAsync(retry.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (retry.IsCancellationRequested)
        {
            return true; // a held retry is due
        }
    }

    /// <summary>Retries the held commits that are due (all of them, once, at shutdown), each on its own.</summary>
    private async Task RetryDueAsync(bool all)
    {
        var now = _time.GetUtcNow();
        var due = _held.FindAll(h => all || h.Due <= now);
        _held.RemoveAll(due.Contains);
        foreach (var held in due)
        {
            await CommitAsync(held.Commits, held.Attempts, lastChance: all).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Commits <paramref name="batch"/>, or the parts of it the store accepts. A refused batch of several runs is split
    /// in halves (a run's commits stay together and in order) until the refused runs are alone; those are held. When
    /// no part can be committed the store is down: the batch is held whole.
    /// </summary>
    private async Task CommitAsync(List<Pending> batch, int attempts, bool lastChance)
    {
        if (await TryCommitAsync(batch).ConfigureAwait(false) is not { } error)
        {
            return;
        }
        var runs = batch.Select(p => p.Commit.RunId).Distinct().Count();
        DurabilityLog.CommitFailed(_logger, error, batch.Count, runs);
        var refused = new List<List<Pending>>();
        if (runs == 1 || !await IsolateAsync(batch, refused).ConfigureAwait(false))
        {
            refused = [[.. batch]]; // one run's changes, or nothing committed at all: held as they are (a copy: the writer reuses its list)
        }
        foreach (var part in refused)
        {
            var partRuns = part.Select(p => p.Commit.RunId).Distinct().Count();
            if (lastChance)
            {
                DurabilityLog.NotCommittedAtShutdown(_logger, partRuns);
                continue;
            }
            var pause = TimeSpan.FromMilliseconds(Math.Min(s_maxPause.TotalMilliseconds, 50 * Math.Pow(2, Math.Min(attempts + 1, 10))));
            _held.Add(new Held(part, attempts + 1, _time.GetUtcNow() + pause));
            DurabilityLog.CommitHeld(_logger, partRuns, part[0].Commit.RunId, attempts + 1, pause.TotalMilliseconds);
        }
    }

    /// <summary>
    /// Commits the halves of a refused batch of several runs, splitting refused halves again; the single-run parts still
    /// refused go to <paramref name="refused"/>. True when any part was committed.
    /// </summary>
    private async Task<bool> IsolateAsync(List<Pending> batch, List<List<Pending>> refused)
    {
        var groups = batch.GroupBy(p => p.Commit.RunId).Select(g => g.ToList()).ToList();
        if (groups.Count == 1)
        {
            refused.Add(groups[0]);
            return false;
        }
        var committed = false;
        foreach (var half in new[] { groups.Take(groups.Count / 2), groups.Skip(groups.Count / 2) })
        {
            var part = half.SelectMany(g => g).ToList();
            committed |= await TryCommitAsync(part).ConfigureAwait(false) is null || await IsolateAsync(part, refused).ConfigureAwait(false);
        }
        return committed;
    }

    /// <summary>Commits <paramref name="batch"/> and acknowledges it; the store's error when it refused (nothing of it is visible then).</summary>
    private async Task<Exception?> TryCommitAsync(List<Pending> batch)
    {
        try
        {
            await _store.CommitAsync(batch.ConvertAll(p => p.Commit), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception error)
        {
            return error;
        }
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
        return null;
    }
}
