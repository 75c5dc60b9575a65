namespace Workflows;

/// <summary>Conveniences over <see cref="IStepContext"/>.</summary>
public static class StepContextExtensions
{
    /// <summary>Collects <paramref name="count"/> events of type <typeparamref name="T"/>, in arrival order.</summary>
    public static IReadOnlyList<T>? CollectEvents<T>(this IStepContext context, Event ev, int count, string? bufferId = null)
        where T : Event
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (context.CollectEvents(ev, SameType<T>.Times(count), bufferId) is not { } events)
        {
            return null;
        }
        var typed = new T[events.Count];
        for (var i = 0; i < typed.Length; i++)
        {
            typed[i] = (T)events[i];
        }
        return typed;
    }

    /// <summary>Type lists of one type, made once per count: collecting is called for every event that arrives.</summary>
    private static class SameType<T>
    {
        private static Type[][] s_lists = [];

        public static Type[] Times(int count)
        {
            var lists = s_lists;
            if (count < lists.Length && lists[count] is { } list)
            {
                return list;
            }
            var grown = new Type[Math.Max(count + 1, lists.Length)][];
            Array.Copy(lists, grown, lists.Length);
            grown[count] = Enumerable.Repeat(typeof(T), count).ToArray();
            s_lists = grown; // a race only makes another thread build the same list again
            return grown[count];
        }
    }
}
