namespace Workflows.Runtime;

/// <summary>
/// One step's worker slots within one run: at most <c>NumWorkers</c> invocations hold a slot; events that find
/// every slot taken wait in FIFO order. Owned by the run loop, so it needs no locks.
/// </summary>
internal sealed class WorkerPool(int numWorkers)
{
    private readonly bool[] _busy = new bool[numWorkers];
    private Queue<Event>? _waiting;

    public int Waiting => _waiting?.Count ?? 0;

    /// <summary>Slots in use.</summary>
    public int Busy { get; private set; }

    /// <summary>Takes the lowest free slot.</summary>
    public bool TryTake(out int slot)
    {
        for (slot = 0; slot < _busy.Length; slot++)
        {
            if (!_busy[slot])
            {
                _busy[slot] = true;
                Busy++;
                return true;
            }
        }
        slot = -1;
        return false;
    }

    public void Release(int slot)
    {
        _busy[slot] = false;
        Busy--;
    }

    public void Enqueue(Event ev) => (_waiting ??= new Queue<Event>()).Enqueue(ev);

    public bool TryDequeue(out Event ev)
    {
        if (_waiting is { Count: > 0 })
        {
            ev = _waiting.Dequeue();
            return true;
        }
        ev = null!;
        return false;
    }
}
