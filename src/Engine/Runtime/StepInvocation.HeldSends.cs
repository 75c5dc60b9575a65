using Workflows.Runtime.Ticks;

namespace Workflows.Runtime;

/// <summary>
/// Sends held back while a cheap step's synchronous code runs: the loop applies them with the step's outcome, in call
/// order and in one pass, instead of one pass each (two atomics, a clock read and a publication per send). The steps
/// they start would have waited for this thread anyway (<see cref="InlineSteps"/>); a send is held a few microseconds.
/// </summary>
/// <remarks>
/// Any thread may send while the step holds (a step may hand work to other threads): held sends form one lock-free
/// chain, so their order is the order the sends happened in. Holding ends when the step returns (the chain goes with
/// the outcome), before it first awaits or writes to the stream (the chain is posted then), or when the watchdog finds
/// its thread held up: a step that sends and then waits for what it sent cannot wait forever. While a chain is being
/// handed over, a send from another thread waits for the hand-over, so it cannot overtake what was held before it.
/// </remarks>
internal sealed partial class StepInvocation
{
    // _held: null = sends go to the loop at once; Open = holding, nothing held yet; a chain = holding it (each send is the
    // tick it would have been posted as, newest first); Releasing = the chain is being handed over (a sender waits).
    private static readonly EventPosted Open = new(null!, null, null);
    private static readonly EventPosted Releasing = new(null!, null, null);
    private EventPosted? _held;
    private EventPosted? _heldWithOutcome; // what the loop applies before this attempt's outcome

    /// <summary>True while sends are held and some are waiting (any thread): the watchdog looks at this.</summary>
    internal bool HoldsSends => Volatile.Read(ref _held) is { } held && held != Open && held != Releasing;

    /// <summary>Holds the sends of the code about to run (its thread, before any other can see this attempt's context).</summary>
    private void StartHolding() => _held = Open;

    /// <summary>Holds the send if this attempt holds; false when it must go to the loop now.</summary>
    private bool TryHold(Event ev, string? target)
    {
        EventPosted? node = null;
        var spin = new SpinWait();
        while (true)
        {
            var head = Volatile.Read(ref _held);
            if (head is null)
            {
                return false;
            }
            if (head == Releasing)
            {
                spin.SpinOnce();
                continue;
            }
            node ??= new EventPosted(ev, this, target);
            node.Next = head == Open ? null : head;
            if (Interlocked.CompareExchange(ref _held, node, head) == head)
            {
                if (head == Open)
                {
                    InlineSteps.Watchdog.Arm(); // the first held send: the watchdog must be able to free it
                }
                return true;
            }
        }
    }

    /// <summary>Stops holding and takes the chain (null if none), leaving Releasing until <see cref="EndRelease"/>.</summary>
    private EventPosted? TakeHeld()
    {
        var spin = new SpinWait();
        while (true)
        {
            var head = Volatile.Read(ref _held);
            if (head == Releasing)
            {
                spin.SpinOnce(); // the watchdog is handing it over
                continue;
            }
            if (Interlocked.CompareExchange(ref _held, Releasing, head) == head)
            {
                return head == Open ? null : head;
            }
        }
    }

    /// <summary>The chain is handed over: sends go to the loop at once from now on.</summary>
    internal void EndRelease() => Volatile.Write(ref _held, null);

    /// <summary>Stops holding, posting what was held (before an await or a stream write).</summary>
    private void ReleaseHeld()
    {
        PostInOrder(TakeHeld());
        EndRelease();
    }

    /// <summary>Stops holding; what was held goes with the outcome (the step's thread, as its synchronous code returns).</summary>
    private void HoldForOutcome() => _heldWithOutcome = TakeHeld();

    /// <summary>The sends to apply before this attempt's outcome, oldest first, or null (loop thread).</summary>
    internal EventPosted? TakeHeldWithOutcome()
    {
        var chain = _heldWithOutcome;
        _heldWithOutcome = null;
        return (EventPosted?)Tick.Reverse(chain);
    }

    /// <summary>The watchdog, finding this attempt's thread held up: posts what it holds (from the watchdog's thread).</summary>
    internal void ReleaseHeldForWatchdog()
    {
        var head = Volatile.Read(ref _held);
        if (head is null || head == Releasing || Interlocked.CompareExchange(ref _held, Releasing, head) != head)
        {
            return; // not holding, or its own thread is handing over: nothing is stuck
        }
        PostInOrder(head == Open ? null : head);
        EndRelease();
    }

    private void PostInOrder(EventPosted? chain)
    {
        for (var send = (EventPosted?)Tick.Reverse(chain); send is not null;)
        {
            var next = (EventPosted?)send.Next;
            send.Next = null;
            if (!_abandoned)
            {
                _loop.Post(send); // the tick it was made as
            }
            send = next;
        }
    }
}
