namespace Workflows.Runtime;

/// <summary>
/// The engine's listeners to run status changes, shared by all its runs: a run builds a <see cref="RunStatusChange"/>
/// only while someone listens.
/// </summary>
internal sealed class RunStatusRelay
{
    private Action<RunStatusChange>? _listeners;
    private readonly Lock _gate = new();

    /// <summary>The listeners now, or null.</summary>
    public Action<RunStatusChange>? Listeners => Volatile.Read(ref _listeners);

    public void Add(Action<RunStatusChange>? listener)
    {
        lock (_gate)
        {
            _listeners += listener;
        }
    }

    public void Remove(Action<RunStatusChange>? listener)
    {
        lock (_gate)
        {
            _listeners -= listener;
        }
    }
}
