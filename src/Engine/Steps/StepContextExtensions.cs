namespace Workflows;

/// <summary>Conveniences over <see cref="IStepContext"/>.</summary>
public static class StepContextExtensions
{
    /// <summary>Collects <paramref name="count"/> events of type <typeparamref name="T"/>, in arrival order.</summary>
    public static IReadOnlyList<T>? CollectEvents<T>(this IStepContext context, Event ev, int count, string? bufferId = null)
        where T : Event
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var types = new Type[count];
        Array.Fill(types, typeof(T));
        return context.CollectEvents(ev, types, bufferId) is { } events ? events.Cast<T>().ToArray() : null;
    }
}
