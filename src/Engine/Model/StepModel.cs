using Workflows.Runtime;

namespace Workflows.Model;

/// <summary>One step of the runtime's model, whichever authoring style produced it.</summary>
internal sealed class StepModel(string name, IReadOnlyList<Type> accepts, IReadOnlyList<Type> emits, StepOptions options, StepInvoker invoke)
{
    // Arrays for the per-event checks: indexing an array allocates nothing, enumerating an interface does.
    private readonly Type[] _accepts = [.. accepts];
    private readonly Type[] _emits = [.. emits];

    /// <summary>Unique within its workflow.</summary>
    public string Name { get; } = name;

    /// <summary>Event types that trigger it (derived types too).</summary>
    public IReadOnlyList<Type> Accepts { get; } = accepts;

    /// <summary>Event types it may produce, by return or by <c>SendEvent</c>.</summary>
    public IReadOnlyList<Type> Emits { get; } = emits;

    /// <summary>Workers, retry, timeout.</summary>
    public StepOptions Options { get; } = options;

    /// <summary>The step's body.</summary>
    public StepInvoker Invoke { get; } = invoke;

    /// <summary>Whether its invocations have shown themselves cheap enough to run on the thread that launched them.</summary>
    public StepCost Cost { get; } = new();

    /// <summary>Position in <see cref="WorkflowModel.Steps"/>; per-run arrays are indexed by it.</summary>
    public int Index { get; internal set; }

    /// <summary>The worker pool it draws slots from: its own, or its group's (so a group's cap spans its members).</summary>
    public int PoolIndex { get; init; } = -1;

    /// <summary>The group it belongs to (member or callback), or null.</summary>
    public string? Group { get; init; }

    /// <summary>For a human step: what to ask. Such a step is never invoked; reaching it opens a task.</summary>
    public HumanStep? Human { get; init; }

    /// <summary>True when one invocation may be cancelled alone (race members), not only with the whole run.</summary>
    public bool CancellableAlone { get; init; }

    /// <summary>Awaited once the step has failed for good (last attempt, timeouts included), before the failure is posted; or null.</summary>
    public Func<StepInvocation, Exception, Task>? OnFailedForGood { get; init; }

    public bool AcceptsType(Type eventType)
    {
        foreach (var accepted in _accepts)
        {
            if (accepted.IsAssignableFrom(eventType))
            {
                return true;
            }
        }
        return false;
    }

    public bool MayEmit(Type eventType)
    {
        foreach (var emitted in _emits)
        {
            if (emitted.IsAssignableFrom(eventType))
            {
                return true;
            }
        }
        return false;
    }
}
