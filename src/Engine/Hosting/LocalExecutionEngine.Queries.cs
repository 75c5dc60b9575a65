using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Workflows.Runtime;
using Workflows.Serialization;

namespace Workflows;

/// <summary>
/// The read side: one run, the run list, the counts by status, a run's item stream as ready-to-send frames. A durable
/// engine answers from the store (what is committed is what is acknowledged) and follows live runs in memory; an
/// in-memory engine answers from the runs it retains (<see cref="EngineOptions.RetainedRuns"/>).
/// </summary>
public sealed partial class LocalExecutionEngine
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, RunLoop> _retained = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentQueue<RunLoop> _retainedOrder = new(); // the runs, so eviction needs no lookup

    /// <summary>One run with its state, steps and open tasks, or null.</summary>
    public async Task<RunDetails?> GetRunAsync(string runId, CancellationToken cancellationToken = default)
    {
        if (_store is not null)
        {
            if (await _store.GetRunAsync(runId, cancellationToken).ConfigureAwait(false) is not { } stored)
            {
                return null;
            }
            var frames = new List<RunFrame>();
            await foreach (var item in _store.ReadItemsAsync(runId, 0, cancellationToken).ConfigureAwait(false))
            {
                frames.Add(new RunFrame(item.Sequence, item.Type, item.Json));
            }
            var run = stored.Run;
            var state = stored.StateJson is null ? null : JsonNode.Parse(stored.StateJson)?["store"] as JsonObject;
            return new RunDetails
            {
                Summary = new RunSummary(run.Id, run.Workflow, run.Version, run.Status, run.CreatedAt, run.UpdatedAt, run.EndedAt),
                Input = JsonNode.Parse(run.InputJson) as JsonObject ?? [],
                State = state ?? [],
                Result = run.ResultJson is null ? null : JsonNode.Parse(run.ResultJson),
                Error = run.ErrorJson is null ? null : JsonSerializer.Deserialize<RunError>(run.ErrorJson, WorkflowJson.Options),
                Steps = StepExecutions.From(frames),
                OpenTasks = stored.Tasks.Where(t => t.Status == HumanTaskStatus.Pending).ToArray(),
                LastSequence = run.LastSequence,
            };
        }
        if (!_retained.TryGetValue(runId, out var loop))
        {
            return null;
        }
        // The published items first, then the status: the loop sets a status before it publishes the items that show
        // it, so read in this order the status is never older than LastSequence, and a client that follows the stream
        // after LastSequence sees every later change. (The other way round, a run that ended in between was told
        // "running" with its terminal item as LastSequence: nothing left to follow, a page stuck on "running".)
        var items = loop.Items.Snapshot();
        var summary = loop.Summary();
        // Set before a terminal status, so present with one; ignored without, as the run has not ended as far as we said.
        var final = summary.Status.IsTerminal() ? loop.Final : null;
        return new RunDetails
        {
            Summary = summary,
            Input = (JsonObject)loop.Input.DeepClone(),
            State = loop.Store.CopyForCommit(),
            Result = final?.Status == RunStatus.Completed ? JsonSerializer.SerializeToNode(final.Result, WorkflowJson.Options) : null,
            Error = final?.Error,
            Steps = StepExecutions.From(items.Select(RunFrame.Of)),
            OpenTasks = Tasks.List(new TaskQuery { RunId = runId, Status = HumanTaskStatus.Pending }),
            LastSequence = items.Count == 0 ? 0 : items[^1].Sequence,
        };
    }

    /// <summary>Runs, newest first, filtered and paged.</summary>
    public async Task<RunPage> ListRunsAsync(RunListQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var limit = Math.Clamp(query.Limit, 1, 500);
        IReadOnlyList<RunSummary> candidates;
        if (_store is not null)
        {
            candidates = (await _store.ListRunsAsync(query with { Limit = limit + 1 }, cancellationToken).ConfigureAwait(false))
                .Select(r => new RunSummary(r.Id, r.Workflow, r.Version, r.Status, r.CreatedAt, r.UpdatedAt, r.EndedAt)).ToArray();
        }
        else
        {
            candidates = _retained.Values.Select(l => l.Summary())
                .Where(r => query.Workflow is null || r.Workflow == query.Workflow)
                .Where(r => query.Status is null || r.Status == query.Status)
                .Where(r => query.CorrelationId is null || _retained.TryGetValue(r.Id, out var l) && l.CorrelationId == query.CorrelationId)
                .Where(r => query.After is not { } after || r.CreatedAt < after.CreatedAt || (r.CreatedAt == after.CreatedAt && string.CompareOrdinal(r.Id, after.Id) < 0))
                .OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id, StringComparer.Ordinal)
                .Take(limit + 1).ToArray();
        }
        var page = candidates.Take(limit).ToArray();
        return new RunPage(page, candidates.Count > limit ? new RunCursor(page[^1].CreatedAt, page[^1].Id) : null);
    }

    /// <summary>
    /// How many runs there are in each status (of <paramref name="workflow"/> only, when given); every status is
    /// present. A durable engine counts every run in its store; an in-memory engine counts the runs it retains
    /// (<see cref="EngineOptions.RetainedRuns"/>: every unfinished run, and the most recently ended ones).
    /// </summary>
    public async Task<RunCounts> CountRunsAsync(string? workflow = null, CancellationToken cancellationToken = default)
    {
        if (_store is not null)
        {
            return await _store.CountRunsAsync(workflow, cancellationToken).ConfigureAwait(false);
        }
        return RunCounts.From(_retained.Values
            .Where(l => workflow is null || l.Model.Name == workflow)
            .Select(l => KeyValuePair.Create(l.Status, 1L)));
    }

    /// <summary>
    /// The run's items after <paramref name="afterSequence"/> as frames: history, then live items until the terminal
    /// one. Null when there is no such run.
    /// </summary>
    public async Task<IAsyncEnumerable<RunFrame>?> ReadRunFramesAsync(string runId, long afterSequence, CancellationToken cancellationToken = default)
    {
        if (_retained.TryGetValue(runId, out var loop))
        {
            // Straight from the item log when memory holds everything after the cursor (no extra iterator per frame).
            return afterSequence >= loop.Items.FirstSequence - 1
                ? loop.Items.ReadFramesAsync(afterSequence, cancellationToken)
                : Follow(loop, afterSequence, cancellationToken);
        }
        if (_store is not null && await _store.GetRunAsync(runId, cancellationToken).ConfigureAwait(false) is not null)
        {
            return Stored(runId, afterSequence, long.MaxValue, cancellationToken);
        }
        return null;
    }

    /// <summary>The handle of a run this engine still holds in memory (running, or retained after its end), or null.</summary>
    public RunHandle? FindRun(string runId) => _retained.TryGetValue(runId, out var loop) ? new RunHandle(loop) : null;

    private async IAsyncEnumerable<RunFrame> Follow(RunLoop loop, long afterSequence, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // A run resumed after a restart holds only its newer items in memory: the older ones come from the store.
        var firstInMemory = loop.Items.FirstSequence;
        if (afterSequence < firstInMemory - 1)
        {
            await foreach (var frame in Stored(loop.RunId, afterSequence, firstInMemory - 1, cancellationToken).ConfigureAwait(false))
            {
                yield return frame;
            }
            afterSequence = firstInMemory - 1;
        }
        // Frames of items in memory are built once and shared by every follower of the run.
        await foreach (var frame in loop.Items.ReadFramesAsync(afterSequence, cancellationToken).ConfigureAwait(false))
        {
            yield return frame;
        }
    }

    private async IAsyncEnumerable<RunFrame> Stored(string runId, long afterSequence, long upTo, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var item in _store!.ReadItemsAsync(runId, afterSequence, cancellationToken).ConfigureAwait(false))
        {
            if (item.Sequence > upTo)
            {
                yield break;
            }
            yield return new RunFrame(item.Sequence, item.Type, item.Json);
        }
    }

    /// <summary>Keeps the run findable after its end, up to <see cref="EngineOptions.RetainedRuns"/> runs (oldest ended first out).</summary>
    private void Retain(RunLoop loop)
    {
        _retained[loop.RunId] = loop;
        _retainedOrder.Enqueue(loop);
        // A counter, not ConcurrentDictionary.Count: that takes every lock of the table, on every start.
        var count = Interlocked.Increment(ref _retainedCount);
        var limit = Math.Max(1, _options.RetainedRuns);
        for (var scanned = 0; count > limit && scanned < limit && _retainedOrder.TryDequeue(out var oldest); scanned++)
        {
            if (oldest.IsSettled)
            {
                _retained.TryRemove(KeyValuePair.Create(oldest.RunId, oldest));
                ForgetCorrelation(oldest);
                count = Interlocked.Decrement(ref _retainedCount);
            }
            else
            {
                _retainedOrder.Enqueue(oldest); // still active: keep it, look further (an active run is found here)
            }
        }
    }

    private int _retainedCount;
}
