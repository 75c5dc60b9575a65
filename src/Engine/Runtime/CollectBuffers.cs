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
/// A step's buffer without an id (the common case) is found by the step's index, without hashing its name; the
/// sets already taken are looked up only once some set has been taken.
/// </remarks>
internal sealed class CollectBuffers
{
    private readonly Lock _gate = new();
    private Buffer?[] _byStep = []; // the buffer without an id of each step, by step index
    private Dictionary<(string Step, string? BufferId), Buffer>? _byName; // buffers with an id
    private readonly List<Buffer> _all = []; // every buffer, in the order they were made (the persisted order)

    /// <summary>One buffer: the events waiting, in order, and the sets taken so far by invocation order.</summary>
    private sealed class Buffer(string step, string? id, int capacity)
    {
        public string Step { get; } = step;
        public string? Id { get; } = id;
        public List<(long Order, Event Event)> Events { get; set; } = new(capacity);
        public Dictionary<long, Event[]>? Taken { get; set; }
    }

    /// <summary>Collects for the step named <paramref name="step"/> (found by name).</summary>
    public IReadOnlyList<Event>? Collect(string step, string? bufferId, Event ev, IReadOnlyList<Type> types, long order = long.MaxValue) =>
        Collect(-1, step, bufferId, ev, types, order);

    /// <summary>
    /// Adds <paramref name="ev"/> to the buffer of step <paramref name="stepIndex"/> (its model index; -1: by
    /// <paramref name="step"/>'s name only) and takes a complete set of <paramref name="types"/> if there is one.
    /// </summary>
    public IReadOnlyList<Event>? Collect(int stepIndex, string step, string? bufferId, Event ev, IReadOnlyList<Type> types, long order = long.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(ev);
        ArgumentNullException.ThrowIfNull(types);
        // The extension method passes an array: indexed directly, not through the interface, on every call.
        var wanted = types as Type[] ?? [.. types];
        if (wanted.Length == 0)
        {
            throw new ArgumentException("CollectEvents needs at least one event type.", nameof(types));
        }
        if (!AnyInstance(wanted, ev))
        {
            throw new ArgumentException(
                $"Step '{step}' collects [{string.Join(", ", wanted.Select(t => t.Name))}] but was given {ev.GetType().Name}, which is none of them.", nameof(ev));
        }

        lock (_gate)
        {
            var found = Find(stepIndex, step, bufferId, wanted.Length);
            if (order != long.MaxValue && found.Taken is { } taken && taken.TryGetValue(order, out var again))
            {
                return again;
            }
            var buffer = found.Events;
            var position = buffer.Count;
            while (position > 0 && buffer[position - 1].Order > order)
            {
                position--;
            }
            if (order == long.MaxValue || position == 0 || buffer[position - 1].Order != order)
            {
                buffer.Insert(position, (order, ev));
            }
            var picked = Match(buffer, wanted);
            if (picked is null)
            {
                return null;
            }
            var result = new Event[wanted.Length];
            for (var i = 0; i < wanted.Length; i++)
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
                (found.Taken ??= [])[order] = result;
            }
            return result;
        }
    }

    /// <summary>The buffer of (step, id), made on first use; under the gate.</summary>
    private Buffer Find(int stepIndex, string step, string? bufferId, int capacity)
    {
        var indexed = bufferId is null && stepIndex >= 0;
        if (indexed && stepIndex < _byStep.Length && _byStep[stepIndex] is { } known)
        {
            return known;
        }
        Buffer? buffer = null;
        if (bufferId is not null)
        {
            _byName?.TryGetValue((step, bufferId), out buffer);
        }
        else
        {
            // Buffers without an id are at most one per collecting step: a scan, not a table.
            foreach (var candidate in _all)
            {
                if (candidate.Id is null && candidate.Step == step)
                {
                    buffer = candidate;
                    break;
                }
            }
        }
        if (buffer is null)
        {
            buffer = new Buffer(step, bufferId, capacity);
            _all.Add(buffer);
            if (bufferId is not null)
            {
                (_byName ??= [])[(step, bufferId)] = buffer;
            }
        }
        if (indexed)
        {
            if (stepIndex >= _byStep.Length)
            {
                Array.Resize(ref _byStep, stepIndex + 1);
            }
            _byStep[stepIndex] = buffer;
        }
        return buffer;
    }

    /// <summary>The buffers as persisted state.</summary>
    public List<Durability.CollectBufferState> Export(Durability.EventCodec codec)
    {
        lock (_gate)
        {
            return _all.Select(b => new Durability.CollectBufferState(
                    b.Step,
                    b.Id,
                    b.Events.Select(e => new Durability.BufferedEvent(e.Order, codec.Encode(e.Event))).ToList(),
                    b.Taken?.Select(t => new Durability.TakenSet(t.Key, t.Value.Select(codec.Encode).ToList())).ToList() ?? []))
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
                // Found by name: the first collect of the step finds it and files it under the step's index.
                var buffer = Find(-1, state.Step, state.BufferId, 0);
                buffer.Events = state.Events.Select(e => (e.Order, codec.Decode(e.Event))).ToList();
                foreach (var taken in state.Taken)
                {
                    (buffer.Taken ??= [])[taken.Order] = taken.Events.Select(codec.Decode).ToArray();
                }
            }
        }
    }

    /// <summary>
    /// For each entry of <paramref name="types"/>, the index of the earliest unused buffered event of that type;
    /// null when some entry has none. More derived types choose first so a base-type entry cannot take the only
    /// event a derived-type entry could use. Called on every collect call, so it allocates only on success.
    /// </summary>
    private static int[]? Match(List<(long Order, Event Event)> buffer, Type[] types)
    {
        if (buffer.Count < types.Length)
        {
            return null;
        }
        if (AllSame(types))
        {
            // The common case (N events of one type): the first N instances, in buffer order.
            var type = types[0];
            var found = 0;
            for (var i = 0; i < buffer.Count && found < types.Length; i++)
            {
                found += type.IsInstanceOfType(buffer[i].Event) ? 1 : 0;
            }
            if (found < types.Length)
            {
                return null;
            }
            var first = new int[types.Length];
            for (int i = 0, n = 0; n < first.Length; i++)
            {
                if (type.IsInstanceOfType(buffer[i].Event))
                {
                    first[n++] = i;
                }
            }
            return first;
        }
        var entries = new int[types.Length];
        var depths = new int[types.Length];
        for (var i = 0; i < entries.Length; i++)
        {
            entries[i] = i;
            depths[i] = -Depth(types[i]);
        }
        Array.Sort(depths, entries);
        var picked = new int[types.Length];
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

    private static bool AllSame(Type[] types)
    {
        for (var i = 1; i < types.Length; i++)
        {
            if (types[i] != types[0])
            {
                return false;
            }
        }
        return true;
    }

    private static bool AnyInstance(Type[] types, Event ev)
    {
        for (var i = 0; i < types.Length; i++)
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
