using System.Runtime.CompilerServices;

namespace Workflows;

/// <summary>
/// A run's item stream in memory: one writer (the run loop) appends; any number of readers each get the whole
/// history, then live items, until the terminal item. A slow reader never blocks the writer.
/// </summary>
/// <remarks>
/// Readers that follow the stream as frames (<see cref="ReadFramesAsync"/>) share one <see cref="RunFrame"/> per item:
/// the item is serialised by the first reader that needs it, not once per reader (a thousand subscribers of one run
/// cost one serialisation per item).
/// </remarks>
public sealed class RunItemLog
{
    private readonly List<RunItem> _items;
    private RunFrame?[] _frames; // parallel to _items once a frame reader comes; a slot is filled by the item's first reader
    private readonly Lock _gate = new();
    private TaskCompletionSource? _appended; // created only while some reader waits
    private bool _completed;

    private readonly long _first;

    /// <summary>A log whose first item will carry <paramref name="firstSequence"/> (above 1 for a run resumed after a restart).</summary>
    internal RunItemLog(long firstSequence = 1, int capacity = 32)
    {
        _first = firstSequence;
        _items = new List<RunItem>(capacity);
        _frames = [];
    }

    /// <summary>
    /// The sequence of the first item held in memory: 1, or for a run resumed after a restart the first item after it
    /// (earlier items are read from the store).
    /// </summary>
    public long FirstSequence => _first;

    /// <summary>How many items have been appended.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _items.Count;
            }
        }
    }

    /// <summary>True once the terminal item is in.</summary>
    public bool IsCompleted
    {
        get
        {
            lock (_gate)
            {
                return _completed;
            }
        }
    }

    /// <summary>The last item published, or null.</summary>
    public RunItem? Last
    {
        get
        {
            lock (_gate)
            {
                return _items.Count == 0 ? null : _items[^1];
            }
        }
    }

    /// <summary>A copy of every item so far.</summary>
    public IReadOnlyList<RunItem> Snapshot()
    {
        lock (_gate)
        {
            return _items.ToArray();
        }
    }

    /// <summary>
    /// Every item with a sequence above <paramref name="afterSequence"/>: history first, then live items as they
    /// come, ending after the terminal item.
    /// </summary>
    public async IAsyncEnumerable<RunItem> ReadAllAsync(long afterSequence = 0, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var batch = new List<RunItem>();
        var next = StartIndex(afterSequence);
        while (true)
        {
            var (wait, completed) = TakeBatch(ref next, batch, frames: null);
            foreach (var item in batch)
            {
                yield return item;
            }
            if (batch.Count == 0 && completed)
            {
                yield break;
            }
            batch.Clear();
            if (wait is not null)
            {
                await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// <see cref="ReadAllAsync"/> as ready-to-send frames, each item's frame built once and shared by every reader.
    /// </summary>
    internal async IAsyncEnumerable<RunFrame> ReadFramesAsync(long afterSequence, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var batch = new List<RunItem>();
        var frames = new List<RunFrame?>();
        var next = StartIndex(afterSequence);
        while (true)
        {
            var first = next;
            var (wait, completed) = TakeBatch(ref next, batch, frames);
            for (var i = 0; i < batch.Count; i++)
            {
                yield return frames[i] ?? Share(first + i, RunFrame.Of(batch[i]));
            }
            if (batch.Count == 0 && completed)
            {
                yield break;
            }
            batch.Clear();
            frames.Clear();
            if (wait is not null)
            {
                await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Sequences are dense from FirstSequence, so the first index to read follows from the cursor.</summary>
    private int StartIndex(long afterSequence) => (int)Math.Max(0, afterSequence - (_first - 1));

    /// <summary>
    /// Moves what was appended from <paramref name="next"/> on into <paramref name="batch"/> (and the frames built so far
    /// into <paramref name="frames"/>); when there is nothing and the log is open, the task that the next append completes.
    /// </summary>
    private (Task? Wait, bool Completed) TakeBatch(ref int next, List<RunItem> batch, List<RunFrame?>? frames)
    {
        lock (_gate)
        {
            // The frame slots grow only when someone reads frames: a run nobody follows pays nothing for them.
            if (frames is not null && _frames.Length < _items.Count)
            {
                Array.Resize(ref _frames, _items.Capacity);
            }
            for (; next < _items.Count; next++)
            {
                batch.Add(_items[next]);
                frames?.Add(_frames[next]);
            }
            if (batch.Count == 0 && !_completed)
            {
                _appended ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                return (_appended.Task, false);
            }
            return (null, _completed);
        }
    }

    /// <summary>Keeps the first frame built for item <paramref name="index"/>; a reader that raced it uses the kept one.</summary>
    private RunFrame Share(int index, RunFrame built)
    {
        lock (_gate)
        {
            return _frames[index] ??= built;
        }
    }

    internal void Append(RunItem item, bool terminal = false)
    {
        TaskCompletionSource? wake;
        lock (_gate)
        {
            if (_completed)
            {
                return;
            }
            _items.Add(item);
            _completed = terminal;
            wake = _appended;
            _appended = null;
        }
        wake?.TrySetResult();
    }
}
