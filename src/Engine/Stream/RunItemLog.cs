using System.Runtime.CompilerServices;
using Workflows.Model;

namespace Workflows;

/// <summary>
/// A run's item stream in memory: one writer (the run loop) appends; any number of readers each get the whole
/// history, then live items, until the terminal item. A slow reader never blocks the writer.
/// </summary>
/// <remarks>
/// The three items every step produces (<c>step.started</c>, <c>step.completed</c>, <c>event.emitted</c>) are kept
/// as compact entries and become <see cref="RunItem"/> records only when someone reads them (once: a reader gets
/// the same record as the previous one). A run nobody watches never builds them. The writer writes entries past
/// the published count without the lock and publishes a whole pass at once. Readers that follow the stream as frames
/// (<see cref="ReadFramesAsync"/>) share one <see cref="RunFrame"/> per item: the item is serialised by the first
/// reader that needs it, not once per reader (a thousand subscribers of one run cost one serialisation per item).
/// </remarks>
public sealed class RunItemLog
{
    private readonly Lock _gate = new();
    private readonly long _first;
    private readonly string _runId;
    private Entry[] _entries;
    private RunFrame?[] _frames = []; // parallel to _entries once a frame reader comes; a slot is filled by the item's first reader
    private int _written; // writer only: entries written, published or not
    // What readers may see, in one word so that they see it whole: (entries published << 1) | (1 once the terminal
    // item is among them). Written by the writer with a fenced exchange, without the gate; read with a volatile read.
    private int _published;
    private int _publishedByWriter; // writer only: the entries it has published
    private TaskCompletionSource? _appended; // created only while some reader waits (under the gate)
    private bool _terminalWritten; // writer only

    /// <summary>A log whose first item will carry <paramref name="firstSequence"/> (above 1 for a run resumed after a restart).</summary>
    internal RunItemLog(string runId = "", long firstSequence = 1, int capacity = 32)
    {
        _runId = runId;
        _first = firstSequence;
        _entries = new Entry[Math.Max(capacity, 4)];
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
            return Volatile.Read(ref _published) >> 1;
        }
    }

    /// <summary>True once the terminal item is in.</summary>
    public bool IsCompleted
    {
        get
        {
            return (Volatile.Read(ref _published) & 1) != 0;
        }
    }

    /// <summary>The last item published, or null.</summary>
    public RunItem? Last
    {
        get
        {
            lock (_gate)
            {
                var count = Volatile.Read(ref _published) >> 1;
                return count == 0 ? null : Build(count - 1);
            }
        }
    }

    /// <summary>A copy of every item so far.</summary>
    public IReadOnlyList<RunItem> Snapshot()
    {
        lock (_gate)
        {
            var items = new RunItem[Volatile.Read(ref _published) >> 1];
            for (var i = 0; i < items.Length; i++)
            {
                items[i] = Build(i);
            }
            return items;
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
    /// Moves what was published from <paramref name="next"/> on into <paramref name="batch"/> (and the frames built so far
    /// into <paramref name="frames"/>); when there is nothing and the log is open, the task that the next publish completes.
    /// </summary>
    private (Task? Wait, bool Completed) TakeBatch(ref int next, List<RunItem> batch, List<RunFrame?>? frames)
    {
        lock (_gate)
        {
            var published = Volatile.Read(ref _published);
            var (count, completed) = (published >> 1, (published & 1) != 0);
            // The frame slots grow only when someone reads frames: a run nobody follows pays nothing for them.
            if (frames is not null && _frames.Length < count)
            {
                Array.Resize(ref _frames, _entries.Length);
            }
            for (; next < count; next++)
            {
                batch.Add(Build(next));
                frames?.Add(_frames[next]);
            }
            if (batch.Count == 0 && !completed)
            {
                _appended ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                // The writer publishes without the gate, then looks for a waiter: a publish between the read above
                // and the registration saw none, so look again after it (the exchange is a full fence) and wait
                // only if nothing came meanwhile. One of the two sides always sees the other.
                if (Interlocked.CompareExchange(ref _published, published, published) != published)
                {
                    return (null, false);
                }
                return (_appended.Task, false);
            }
            return (null, completed);
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

    /// <summary>Appends and publishes <paramref name="item"/> (stamped already) at once.</summary>
    internal void Append(RunItem item, bool terminal = false)
    {
        Write(new Entry { Kind = EntryKind.Built, Subject = item, Timestamp = item.Timestamp }, terminal);
        Publish();
    }

    /// <summary>Writes <paramref name="item"/> (stamped already) unpublished, until <see cref="Publish"/>; the writer only.</summary>
    internal void Write(RunItem item, bool terminal = false) =>
        Write(new Entry { Kind = EntryKind.Built, Subject = item, Timestamp = item.Timestamp }, terminal);

    /// <summary>Writes a <see cref="StepStarted"/> of <paramref name="step"/> (with its group) unpublished; the writer only.</summary>
    internal void WriteStepStarted(StepModel step, int worker, int attempt, string? eventType, DateTimeOffset timestamp) =>
        Write(new Entry { Kind = EntryKind.StepStarted, Subject = step, Text = eventType, Worker = worker, Attempt = attempt, Timestamp = timestamp }, terminal: false);

    /// <summary>Writes a <see cref="StepCompleted"/> of <paramref name="step"/> with <paramref name="group"/> unpublished; the writer only.</summary>
    internal void WriteStepCompleted(StepModel step, int worker, int attempt, string? group, DateTimeOffset timestamp) =>
        Write(new Entry { Kind = EntryKind.StepCompleted, Subject = step, Text = group, Worker = worker, Attempt = attempt, Timestamp = timestamp }, terminal: false);

    /// <summary>Writes an <see cref="EventEmitted"/> of <paramref name="ev"/> by <paramref name="source"/>, to no particular step, unpublished; the writer only.</summary>
    internal void WriteEventEmitted(Event ev, string? source, DateTimeOffset timestamp) =>
        Write(new Entry { Kind = EntryKind.EventEmitted, Subject = ev, Text = source, Timestamp = timestamp }, terminal: false);

    /// <summary>Makes what was written visible to readers and wakes those waiting; the writer only.</summary>
    internal void Publish()
    {
        if (_publishedByWriter == _written)
        {
            return; // nothing new
        }
        _publishedByWriter = _written;
        // A full fence: the entries are written before readers can see the count, and the look for a waiter below
        // cannot move above it (see TakeBatch for the reader's side). No gate unless a reader waits.
        Interlocked.Exchange(ref _published, (_written << 1) | (_terminalWritten ? 1 : 0));
        if (Volatile.Read(ref _appended) is null)
        {
            return;
        }
        TaskCompletionSource? wake;
        lock (_gate)
        {
            wake = _appended;
            _appended = null;
        }
        wake?.TrySetResult();
    }

    private void Write(in Entry entry, bool terminal)
    {
        if (_terminalWritten)
        {
            return;
        }
        if (_written == _entries.Length)
        {
            var larger = new Entry[_entries.Length * 2];
            lock (_gate) // readers build published entries in place
            {
                Array.Copy(_entries, larger, _written);
                _entries = larger;
            }
        }
        _entries[_written++] = entry;
        _terminalWritten = terminal;
    }

    /// <summary>The record of entry <paramref name="index"/>, built on first read and kept; under the gate.</summary>
    private RunItem Build(int index)
    {
        ref var entry = ref _entries[index];
        if (entry.Kind == EntryKind.Built)
        {
            return (RunItem)entry.Subject!;
        }
        RunItem item = entry.Kind switch
        {
            EntryKind.StepStarted => StepItems.Started((StepModel)entry.Subject!, entry.Worker, entry.Attempt, entry.Text),
            EntryKind.StepCompleted => StepItems.Completed((StepModel)entry.Subject!, entry.Worker, entry.Attempt, entry.Text),
            _ => StepItems.Emitted((Event)entry.Subject!, entry.Text, target: null),
        };
        item.Sequence = _first + index;
        item.Timestamp = entry.Timestamp;
        item.RunId = _runId;
        entry = new Entry { Kind = EntryKind.Built, Subject = item, Timestamp = entry.Timestamp };
        return item;
    }

    private enum EntryKind : byte
    {
        Built,
        StepStarted,
        StepCompleted,
        EventEmitted,
    }

    /// <summary>One item: a record already built, or what it takes to build one of the three per-step kinds (32 bytes).</summary>
    private struct Entry
    {
        private const int KindShift = 62; // UTC ticks need 62 bits (DateTime.MaxValue < 2^62): the kind takes the top two
        private const long TicksMask = (1L << KindShift) - 1;

        public object? Subject; // Built: the RunItem; StepStarted/StepCompleted: the StepModel; EventEmitted: the Event
        public string? Text; // StepStarted: the event type; StepCompleted: the group; EventEmitted: the source step
        private long _ticksAndKind; // a DateTimeOffset and an enum field would pad the entry to 40 bytes
        public int Worker;
        public int Attempt;

        public EntryKind Kind
        {
            readonly get => (EntryKind)(_ticksAndKind >>> KindShift);
            init => _ticksAndKind = (_ticksAndKind & TicksMask) | ((long)value << KindShift);
        }

        /// <summary>In UTC: the loop stamps items with <see cref="TimeProvider.GetUtcNow"/>, whose offset is zero.</summary>
        public DateTimeOffset Timestamp
        {
            readonly get => new(_ticksAndKind & TicksMask, TimeSpan.Zero);
            init => _ticksAndKind = (_ticksAndKind & ~TicksMask) | value.UtcTicks;
        }
    }
}
