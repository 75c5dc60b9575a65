namespace Workflows.Runtime;

/// <summary>
/// The collect buffers of one run, one per (step, buffer id). Collection is atomic under one lock: a call either
/// takes a complete set or adds its event and returns null, so a collecting step never needs a re-run. Buffered
/// events are kept in the order the loop started them (<c>order</c>), which is what "arrival order" means even
/// when several workers of the collecting step call in a different order.
/// </summary>
internal sealed class CollectBuffers
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Step, string? BufferId), List<(long Order, Event Event)>> _buffers = [];

    public IReadOnlyList<Event>? Collect(string step, string? bufferId, Event ev, IReadOnlyList<Type> types, long order = long.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(ev);
        ArgumentNullException.ThrowIfNull(types);
        if (types.Count == 0)
        {
            throw new ArgumentException("CollectEvents needs at least one event type.", nameof(types));
        }
        if (!types.Any(t => t.IsInstanceOfType(ev)))
        {
            throw new ArgumentException(
                $"Step '{step}' collects [{string.Join(", ", types.Select(t => t.Name))}] but was given {ev.GetType().Name}, which is none of them.", nameof(ev));
        }

        lock (_gate)
        {
            var key = (step, bufferId);
            if (!_buffers.TryGetValue(key, out var buffer))
            {
                _buffers[key] = buffer = [];
            }
            var position = buffer.Count;
            while (position > 0 && buffer[position - 1].Order > order)
            {
                position--;
            }
            buffer.Insert(position, (order, ev));
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
            return result;
        }
    }

    /// <summary>
    /// For each entry of <paramref name="types"/>, the index of the earliest unused buffered event of that type;
    /// null when some entry has none. More derived types choose first so a base-type entry cannot take the only
    /// event a derived-type entry could use.
    /// </summary>
    private static int[]? Match(List<(long Order, Event Event)> buffer, IReadOnlyList<Type> types)
    {
        var picked = new int[types.Count];
        var used = new bool[buffer.Count];
        foreach (var entry in Enumerable.Range(0, types.Count).OrderByDescending(i => Depth(types[i])))
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
