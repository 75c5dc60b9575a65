using System.Runtime.CompilerServices;
using Workflows.Runtime;
using Workflows.Runtime.Ticks;
using Workflows.Persistence;

namespace Workflows;

/// <summary>
/// A started run: await it for the result, read its item stream (any number of readers, each from the start),
/// inspect its state, send it events, cancel it.
/// </summary>
public sealed class RunHandle
{
    private readonly RunLoop _loop;

    internal RunHandle(RunLoop loop) => _loop = loop;

    internal Model.WorkflowModel Model => _loop.Model;

    /// <summary>The run's id.</summary>
    public string RunId => _loop.RunId;

    /// <summary>The workflow's name.</summary>
    public string Workflow => _loop.Model.Name;

    /// <summary>The workflow version the run is pinned to.</summary>
    public string Version => _loop.Model.Version;

    /// <summary>"event" or "graph".</summary>
    public string Kind => _loop.Model.Kind;

    /// <summary>The current status.</summary>
    public RunStatus Status => _loop.Status;

    /// <summary>The run's key/value state.</summary>
    public StateStore Store => _loop.Store;

    /// <summary>The item stream: history and live items.</summary>
    public RunItemLog Items => _loop.Items;

    /// <summary>Completes when the run ends, however it ends; never throws.</summary>
    public Task<RunOutcome> Outcome => _loop.Outcome;

    /// <summary>Reads the item stream after <paramref name="afterSequence"/> until the terminal item.</summary>
    public IAsyncEnumerable<RunItem> ReadItemsAsync(long afterSequence = 0, CancellationToken cancellationToken = default) =>
        _loop.Items.ReadAllAsync(afterSequence, cancellationToken);

    /// <summary>The result when the run completed; throws <see cref="WorkflowRunException"/> otherwise.</summary>
    public async Task<object?> GetResultAsync()
    {
        var outcome = await Outcome.ConfigureAwait(false);
        return outcome.Status == RunStatus.Completed ? outcome.Result : throw new WorkflowRunException(RunId, outcome);
    }

    /// <summary>Awaiting a handle awaits <see cref="GetResultAsync"/>.</summary>
    public TaskAwaiter<object?> GetAwaiter() => GetResultAsync().GetAwaiter();

    /// <summary>
    /// Asks the run to end as canceled: running steps see their token cancelled and queued events are dropped.
    /// Returns false when the run had already ended. Await <see cref="Outcome"/> to see the end.
    /// </summary>
    public bool Cancel(string? reason = null)
    {
        StorableText.ThrowIfUnstorable(reason, nameof(reason)); // it becomes the cancel reason of the run's open tasks
        return !_loop.Status.IsTerminal() && _loop.Post(new CancelRequested(reason));
    }

    /// <summary>The caller's correlation id, or null.</summary>
    public string? CorrelationId => _loop.CorrelationId;

    /// <summary>
    /// Posts an event from outside into the running run (one of the workflow's external event types), routed like
    /// any other, or to <paramref name="step"/> only. Completes once the run has recorded it (committed, when durable).
    /// </summary>
    /// <exception cref="ArgumentException">The type is not one of the workflow's external events, or the step does not accept it.</exception>
    /// <exception cref="RunEndedException">The run has ended.</exception>
    public Task SendEventAsync(Event ev, string? step = null)
    {
        ArgumentNullException.ThrowIfNull(ev);
        var model = _loop.Model;
        var type = ev.GetType();
        if (!model.ExternalEventTypes.Any(t => t.IsAssignableFrom(type)))
        {
            throw new ArgumentException($"Workflow '{model.Name}' does not accept {type.Name} from outside; its external events are: " +
                $"{(model.ExternalEventTypes.Count == 0 ? "none" : string.Join(", ", model.ExternalEventTypes.Select(t => t.Name)))}.", nameof(ev));
        }
        if (step is not null && model.FindStep(step)?.AcceptsType(type) != true)
        {
            throw new ArgumentException($"Step '{step}' of workflow '{model.Name}' does not exist or does not accept {type.Name}.", nameof(step));
        }
        var recorded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (_loop.Status.IsTerminal() || !_loop.Post(new ExternalEventPosted(ev, step, recorded)))
        {
            throw new RunEndedException(RunId, _loop.Status);
        }
        return recorded.Task;
    }
}
