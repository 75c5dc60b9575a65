using Workflows.Model;

namespace Workflows.Runtime;

/// <summary>
/// Worker slots within one run: at most <c>size</c> invocations hold a slot; work that finds every slot taken
/// waits in FIFO order. A pool belongs to one event-driven step, one graph step, or a whole group (so a group's
/// concurrency cap spans its members). Owned by the run loop, so it needs no locks.
/// </summary>
internal sealed class WorkerPool(int size)
{
    private readonly StepInvocation?[] _running = new StepInvocation?[size];
    private Queue<(StepModel Step, Event Event)>? _waiting;

    /// <summary>Slots in use (running, or holding a slot through a retry backoff).</summary>
    public int Busy { get; private set; }

    /// <summary>The invocations holding a slot now.</summary>
    public IEnumerable<StepInvocation> Running => _running.OfType<StepInvocation>();

    /// <summary>The invocation in <paramref name="slot"/> (0 .. size-1), or null; for scans that must not allocate.</summary>
    public StepInvocation? InSlot(int slot) => _running[slot];

    /// <summary>The number of slots.</summary>
    public int Size => _running.Length;

    /// <summary>The lowest free slot, or -1 when all are taken.</summary>
    public int FreeSlot() => Array.IndexOf(_running, null);

    /// <summary>Puts <paramref name="invocation"/> in its slot (a free one, or the one it inherits on retry).</summary>
    public void Occupy(StepInvocation invocation)
    {
        if (_running[invocation.Worker] is null)
        {
            Busy++;
        }
        _running[invocation.Worker] = invocation;
    }

    public void Release(int slot)
    {
        _running[slot] = null;
        Busy--;
    }

    /// <summary>The work waiting for a slot, in FIFO order.</summary>
    public IEnumerable<(StepModel Step, Event Event)> Waiting => _waiting ?? Enumerable.Empty<(StepModel, Event)>();

    public void Enqueue(StepModel step, Event ev) => (_waiting ??= new()).Enqueue((step, ev));

    public bool TryDequeue(out StepModel step, out Event ev)
    {
        if (_waiting is { Count: > 0 })
        {
            (step, ev) = _waiting.Dequeue();
            return true;
        }
        (step, ev) = (null!, null!);
        return false;
    }
}
