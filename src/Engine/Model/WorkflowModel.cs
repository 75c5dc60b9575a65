using System.Collections.Concurrent;

namespace Workflows.Model;

/// <summary>
/// The compiled, validated form of a workflow that the runtime executes: steps, their routes and the run
/// settings. Immutable once built and shared by all runs of that workflow version.
/// </summary>
internal sealed class WorkflowModel
{
    private readonly Dictionary<string, StepModel> _byName;
    private readonly ConcurrentDictionary<Type, StepModel[]> _routes = new();

    public WorkflowModel(
        string name,
        string version,
        string? description,
        IReadOnlyList<StepModel> steps,
        Type startEventType,
        IReadOnlyList<Type> externalEventTypes,
        TimeSpan? timeout,
        bool verbose,
        GraphPlan? graph = null,
        IReadOnlyList<int>? poolSizes = null,
        bool timeoutCountsWaiting = false)
    {
        TimeoutCountsWaiting = timeoutCountsWaiting;
        Name = name;
        Version = version;
        Description = description;
        Steps = steps;
        StartEventType = startEventType;
        ExternalEventTypes = externalEventTypes;
        Timeout = timeout;
        Verbose = verbose;
        Graph = graph;
        for (var i = 0; i < steps.Count; i++)
        {
            steps[i].Index = i;
        }
        // Event-driven steps each own a pool; graph compilation says which steps share one.
        PoolSizes = poolSizes ?? steps.Select(s => s.Options.NumWorkers).ToArray();
        _byName = steps.ToDictionary(s => s.Name, StringComparer.Ordinal);
    }

    public string Name { get; }

    /// <summary>"event" or "graph": how the workflow was written.</summary>
    public string Kind => Graph is null ? "event" : "graph";

    /// <summary>The graph plan, for workflows written as a <see cref="WorkflowDefinition"/>.</summary>
    public GraphPlan? Graph { get; }

    /// <summary>Slot count of each worker pool, indexed by <see cref="StepModel.PoolIndex"/>.</summary>
    public IReadOnlyList<int> PoolSizes { get; }

    /// <summary>The pool of <paramref name="step"/>.</summary>
    public int PoolOf(StepModel step) => step.PoolIndex >= 0 ? step.PoolIndex : step.Index;

    public string Version { get; }

    public string? Description { get; }

    public IReadOnlyList<StepModel> Steps { get; }

    public Type StartEventType { get; }

    /// <summary>Event types that may be posted into a running run from outside.</summary>
    public IReadOnlyList<Type> ExternalEventTypes { get; }

    /// <summary>Wall-clock bound of a run (schedule-to-close); null = none.</summary>
    public TimeSpan? Timeout { get; }

    public bool Verbose { get; }

    /// <summary>Whether time spent waiting for people counts against <see cref="Timeout"/> (by default it does not).</summary>
    public bool TimeoutCountsWaiting { get; }

    /// <summary>The same model with other run settings (engine-wide defaults); steps and routes are shared.</summary>
    public WorkflowModel WithSettings(TimeSpan? timeout, bool verbose) =>
        new(Name, Version, Description, Steps, StartEventType, ExternalEventTypes, timeout, verbose, Graph, PoolSizes, TimeoutCountsWaiting);

    private int _itemCountHint = 32;

    /// <summary>How many items a run of this workflow had last time (at most 1,024): a new run's item list starts that big.</summary>
    public int ItemCountHint => Volatile.Read(ref _itemCountHint);

    /// <summary>Records a finished run's item count for <see cref="ItemCountHint"/>.</summary>
    public void ObserveItemCount(long count)
    {
        // Written only when it changes: every run ends here, and a write would take the model's cache line away from
        // the other cores, which read the model on every step.
        var hint = (int)Math.Clamp(count, 8, 1024);
        if (Volatile.Read(ref _itemCountHint) != hint)
        {
            Volatile.Write(ref _itemCountHint, hint);
        }
    }

    /// <summary>How this workflow's events are persisted and read back (built on first use).</summary>
    public Runtime.Durability.EventCodec Codec => _codec ??= new Runtime.Durability.EventCodec(this);

    private Runtime.Durability.EventCodec? _codec;

    public StepModel? FindStep(string name) => _byName.GetValueOrDefault(name);

    /// <summary>Every step that accepts an event of <paramref name="eventType"/>, computed once per type.</summary>
    public StepModel[] Route(Type eventType) =>
        _routes.GetOrAdd(eventType, static (type, steps) => steps.Where(s => s.AcceptsType(type)).ToArray(), Steps);
}
