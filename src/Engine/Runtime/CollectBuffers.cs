namespace Workflows.Runtime;

/// <summary>
/// The collect buffers of one run, one per (step, buffer id). Collection is atomic under one lock: a call either
/// takes a complete set or adds its event and returns null, so a collecting step never needs a re-run. Buffered
/// events are kept in the order the loop started them (<c>order</c>), which is what "arrival order" means even
/// when several workers of the collecting step call in a different order.
/// </summary>
/// <remarks>
/// A call is idempotent per invocation (<c>order</c> stays the same across its attempts and across a restart):
/// adding the same order twice keeps one entry, and an invocation that already took a set gets that set again.
/// So a collecting step that is re-run, after a failure or a crash, sees what its first attempt saw.
/// </remarks>
internal sealed class CollectBuffers
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Step, string? BufferId), List<(long Order, Event Event)>> _buffers = [];
    private readonly Dictionary<(string Step, string? BufferId, long Order), Event[]> _taken = [];

    public IReadOnlyList<Event>? Collect(string step, string? bufferId, Event ev, IReadOnlyList<Type> types, long order = long.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(ev);
        ArgumentNullException.ThrowIfNull(types);
        if (types.Count == 0)
        {
            throw new ArgumentException("CollectEvents needs at least one event type.", nameof(types));
        }
        if (!AnyInstance(types, ev))
        {
            throw new ArgumentException(
                $"Step '{step}' collects [{string.Join(", ", types.Select(t => t.Name))}] but was given {ev.GetType().Name}, which is none of them.", nameof(ev));
        }

        lock (_gate)
        {
            var key = (step, bufferId);
            if (order != long.MaxValue && _taken.TryGetValue((step, bufferId, order), out var again))
            {
                return again;
            }
            if (!_buffers.TryGetValue(key, out var buffer))
            {
                _buffers[key] = buffer = new List<(long, Event)>(types.Count);
            }
            var position = buffer.Count;
            while (position > 0 && buffer[position - 1].Order > order)
            {
                position--;
            }
            if (order == long.MaxValue || position == 0 || buffer[position - 1].Order != order)
            {
                buffer.Insert(position, (order, ev));
            }
            var picked = Match(buffer, types);
            if (picked is null)
            {
                return null;
            }
            var result = new Event[types.Count];
            for (var i = 0; i < types.Count; i++)
            {
                result[i] = buffer[picked[i]].Event;
            }
            // Surplus stays, in arrival order, for the next collection: remove the taken ones from the back.
            Array.Sort(picked);
            for (var i = picked.Length - 1; i >= 0; i--)
            {
                buffer.RemoveAt(picked[i]);
            }
            if (order != long.MaxValue)
            {
                _taken[(step, bufferId, order)] = result;
            }
            return result;
        }
    }

    /// <summary>The buffers as persisted state.</summary>
    public List<Durability.CollectBufferState> Export(Durability.EventCodec codec)
    {
        lock (_gate)
        {
            return _buffers.Keys.Union(_taken.Keys.Select(k => (k.Step, k.BufferId)))
                .Select(key => new Durability.CollectBufferState(
                    key.Step,
                    key.BufferId,
                    _buffers.GetValueOrDefault(key)?.Select(e => new Durability.BufferedEvent(e.Order, codec.Encode(e.Event))).ToList() ?? [],
                    _taken.Where(t => t.Key.Step == key.Step && t.Key.BufferId == key.BufferId)
                        .Select(t => new Durability.TakenSet(t.Key.Order, t.Value.Select(codec.Encode).ToList())).ToList()))
                .ToList();
        }
    }

    /// <summary>Restores persisted buffers (on resume, before any step runs).</summary>
    public void Import(IEnumerable<Durability.CollectBufferState> buffers, Durability.EventCodec codec)
    {
        lock (_gate)
        {
            foreach (var state in buffers)
            {
                _buffers[(state.Step, state.BufferId)] = state.Events.Select(e => (e.Order, codec.Decode(e.Event))).ToList();
                foreach (var taken in state.Taken)
                {
                    _taken[(state.Step, state.BufferId, taken.Order)] = taken.Events.Select(codec.Decode).ToArray();
                }
            }
        }
    }

    /// <summary>
    /// For each entry of <paramref name="types"/>, the index of the earliest unused buffered event of that type;
    /// null when some entry has none. More derived types choose first so a base-type entry cannot take the only
    /// event a derived-type entry could use.
    /// </summary>
    /// <summary>
    /// For each entry of <paramref name="types"/>, the index of the earliest unused buffered event of that type;
    /// null when some entry has none. More derived types choose first so a base-type entry cannot take the only
    /// event a derived-type entry could use. Called on every collect call, so it allocates only on success.
    /// </summary>
    private static int[]? Match(List<(long Order, Event Event)> buffer, IReadOnlyList<Type> types)
    {
        if (buffer.Count < types.Count)
        {
            return null;
        }
        if (AllSame(types))
        {
            // The common case (N events of one type): the first N instances, in buffer order.
            var type = types[0];
            var found = 0;
            for (var i = 0; i < buffer.Count && found < types.Count; i++)
            {
                found += type.IsInstanceOfType(buffer[i].Event) ? 1 : 0;
            }
            if (found < types.Count)
            {
                return null;
            }
            var first = new int[types.Count];
            for (int i = 0, n = 0; n < first.Length; i++)
            {
                if (type.IsInstanceOfType(buffer[i].Event))
                {
                    first[n++] = i;
                }
            }
            return first;
        }
        var entries = new int[types.Count];
        var depths = new int[types.Count];
        for (var i = 0; i < entries.Length; i++)
        {
            entries[i] = i;
            depths[i] = -Depth(types[i]);
        }
        Array.Sort(depths, entries);
        var picked = new int[types.Count];
        var used = new bool[buffer.Count];
        foreach (var entry in entries)
        {
            var found = -1;
            for (var i = 0; i < buffer.Count && found < 0; i++)
            {
                if (!used[i] && types[entry].IsInstanceOfType(buffer[i].Event))
                {
                    found = i;
                }
            }
            if (found < 0)
            {
                return null;
            }
            used[found] = true;
            picked[entry] = found;
        }
        return picked;
    }

    private static bool AllSame(IReadOnlyList<Type> types)
    {
        for (var i = 1; i < types.Count; i++)
        {
            if (types[i] != types[0])
            {
                return false;
            }
        }
        return true;
    }

    private static bool AnyInstance(IReadOnlyList<Type> types, Event ev)
    {
        for (var i = 0; i < types.Count; i++)
        {
            if (types[i].IsInstanceOfType(ev))
            {
                return true;
            }
        }
        return false;
    }

    private static int Depth(Type type)
    {
        var depth = 0;
        for (var t = type; t is not null; t = t.BaseType)
        {
            depth++;
        }
        return depth;
    }
}
