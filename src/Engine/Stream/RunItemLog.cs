using System.Runtime.CompilerServices;

namespace Workflows;

/// <summary>
/// A run's item stream in memory: one writer (the run loop) appends; any number of readers each get the whole
/// history, then live items, until the terminal item. A slow reader never blocks the writer.
/// </summary>
public sealed class RunItemLog
{
    private readonly List<RunItem> _items;
    private readonly Lock _gate = new();
    private TaskCompletionSource? _appended; // created only while some reader waits
    private bool _completed;

    private readonly long _first;

    /// <summary>A log whose first item will carry <paramref name="firstSequence"/> (above 1 for a run resumed after a restart).</summary>
    internal RunItemLog(long firstSequence = 1, int capacity = 32)
    {
        _first = firstSequence;
        _items = new List<RunItem>(capacity);
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
        // Sequences are dense from FirstSequence, so the next index follows from the cursor.
        var next = (int)Math.Max(0, afterSequence - (_first - 1));
        var batch = new List<RunItem>();
        while (true)
        {
            Task? wait = null;
            bool completed;
            lock (_gate)
            {
                for (; next < _items.Count; next++)
                {
                    batch.Add(_items[next]);
                }
                completed = _completed;
                if (batch.Count == 0 && !completed)
                {
                    _appended ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    wait = _appended.Task;
                }
            }
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
