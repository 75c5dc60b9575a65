using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Workflows.Model;
using Workflows.Persistence;
using Workflows.Runtime;
using Workflows.Runtime.Durability;
using Workflows.Serialization;

namespace Workflows;

/// <summary>
/// Starts runs of registered workflows in this process. With an <see cref="IRunStore"/> every run is durable:
/// nothing is acknowledged before it is committed, and <see cref="InitializeAsync"/> resumes the runs a previous
/// process left unfinished. Without one, runs live in memory (library use, tests).
/// </summary>
public sealed partial class LocalExecutionEngine : IAsyncDisposable
{
    /// <summary>
    /// Binding for external events, which come from outside: a member the event's constructor needs must be present, and
    /// null only where the type allows it (otherwise a missing amount would arrive as 0).
    /// </summary>
    private static readonly JsonSerializerOptions s_externalEventOptions = new(WorkflowJson.Options)
    {
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
    };

    private readonly WorkflowRegistry _registry;
    private readonly EngineOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly IRunStore? _store;
    private readonly RunCommitter? _committer;

    /// <summary>Creates an engine over <paramref name="registry"/>; every other argument has a default (no store: in memory).</summary>
    public LocalExecutionEngine(
        WorkflowRegistry registry,
        IOptions<EngineOptions>? options = null,
        ILoggerFactory? loggerFactory = null,
        TimeProvider? timeProvider = null,
        IRunStore? store = null)
    {
        _registry = registry;
        _options = options?.Value ?? new EngineOptions();
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Workflows.Runtime");
        _time = timeProvider ?? TimeProvider.System;
        _store = store;
        _committer = store is null ? null : new RunCommitter(store, _logger); // retries pause in real time, whatever clock the runs use
        Tasks = new HumanTaskService(registry.FormValidator, ActiveRun, _time);
    }

    /// <summary>The human tasks of this engine's runs: the inbox, completion and cancellation.</summary>
    public HumanTaskService Tasks { get; }

    /// <summary>
    /// Raised when a run of this engine changes status (pending, running, waiting, or an ending), once the items that
    /// went with the change are published on its stream (after their commit, with a store), on the publishing thread:
    /// changes of one run come in order, changes of different runs may come at the same time on different threads.
    /// Handlers must be quick and must not throw; they see the runs started or resumed after they subscribed.
    /// </summary>
    public event Action<RunStatusChange>? RunStatusChanged
    {
        add => _statusRelay.Add(value);
        remove => _statusRelay.Remove(value);
    }

    private readonly RunStatusRelay _statusRelay = new();

    /// <summary>The workflows this engine runs.</summary>
    public WorkflowRegistry Registry => _registry;

    /// <summary>Whether runs are committed to a store.</summary>
    public bool IsDurable => _store is not null;

    /// <summary>
    /// With a store: brings the schema up to date, records the registered definitions, and resumes every run the
    /// store holds unfinished (each on the version it started with; a run whose workflow or version is no longer
    /// registered is marked failed, saying so). Call once, before starting runs. Without a store it does nothing.
    /// </summary>
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        if (_store is null)
        {
            return;
        }
        var now = _time.GetUtcNow();
        var definitions = _registry.AllModels().Select(m => new DefinitionRecord(m.Name, m.Version, m.Kind, ModelShape.Hash(m), now)).ToArray();
        await _store.InitializeAsync(definitions, cancellationToken).ConfigureAwait(false);
        foreach (var stored in await _store.LoadUnfinishedAsync(cancellationToken).ConfigureAwait(false))
        {
            await ResumeAsync(stored).ConfigureAwait(false);
        }
        // The inbox also shows the tasks of runs that ended before this process started.
        foreach (var task in await _store.LoadTasksAsync(cancellationToken).ConfigureAwait(false))
        {
            Tasks.Remember(task);
        }
    }

    /// <summary>A run of this engine that has not ended yet, or null.</summary>
    public RunHandle? FindActiveRun(string runId) => ActiveRun(runId) is { } loop ? new RunHandle(loop) : null;

    /// <summary>
    /// A run that has not settled yet. Active runs live in the retained table like ended ones (it never lets go of an
    /// active run): one shared table written per run start, not two.
    /// </summary>
    private RunLoop? ActiveRun(string runId) => _retained.TryGetValue(runId, out var loop) && !loop.IsSettled ? loop : null;

    /// <summary>
    /// Starts a run of <paramref name="name"/> (the latest version, or <paramref name="version"/>) with
    /// <paramref name="input"/> as its start event's fields. Returns its handle once the run exists: at once in
    /// memory, after its first commit with a store.
    /// </summary>
    /// <exception cref="KeyNotFoundException">No such workflow or version.</exception>
    /// <exception cref="ArgumentException">The input is not a JSON object or does not fit the start event.</exception>
    /// <exception cref="DuplicateCorrelationException">A run with <paramref name="correlationId"/> exists already (its id is in the exception).</exception>
    public async Task<RunHandle> StartWorkflowAsync(string name, object? input = null, string? version = null, CancellationToken cancellationToken = default,
        string? correlationId = null)
    {
        cancellationToken.ThrowIfCancellationRequested();
        StorableText.ThrowIfUnstorable(correlationId, nameof(correlationId));
        var model = WithEngineSettings(_registry.FindModel(name, version) ?? throw new KeyNotFoundException(version is null
            ? $"No workflow named '{name}' is registered."
            : $"Workflow '{name}' has no version {version}."));
        var start = StartEventFactory.Create(model.StartEventType, input);
        var runId = RunIds.New(DateTimeOffset.UtcNow); // the system clock, as Guid.CreateVersion7 uses
        if (correlationId is not null)
        {
            await ClaimCorrelationAsync(correlationId, runId, cancellationToken).ConfigureAwait(false);
        }
        var loop = Track(new RunLoop(model, runId, start, Tasks, _time, _logger, _committer) { CorrelationId = correlationId });
        if (!loop.Started.IsCompleted)
        {
            await loop.Started.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        return new RunHandle(loop);
    }

    /// <summary>
    /// Posts an external event, named by its type (one of the workflow's <c>ExternalEvents</c>), with
    /// <paramref name="data"/> as its fields. Completes once the run has recorded it.
    /// </summary>
    /// <exception cref="KeyNotFoundException">No such run.</exception>
    /// <exception cref="RunEndedException">The run has ended.</exception>
    /// <exception cref="ArgumentException">Unknown event type, or data that does not fit it (the message names the field).</exception>
    public async Task SendEventAsync(string runId, string eventType, JsonObject? data, string? step = null, CancellationToken cancellationToken = default)
    {
        if (ActiveRun(runId) is not { } loop)
        {
            var known = await GetRunAsync(runId, cancellationToken).ConfigureAwait(false) ?? throw new KeyNotFoundException($"No run has id '{runId}'.");
            throw new RunEndedException(runId, known.Summary.Status);
        }
        var model = loop.Model;
        var type = model.ExternalEventTypes.FirstOrDefault(t => string.Equals(t.Name, eventType, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"Workflow '{model.Name}' accepts no external event '{eventType}'; it accepts: " +
                $"{(model.ExternalEventTypes.Count == 0 ? "none" : string.Join(", ", model.ExternalEventTypes.Select(t => t.Name)))}.", nameof(eventType));
        Event ev;
        try
        {
            ev = (Event)((data ?? []).Deserialize(type, s_externalEventOptions)
                ?? throw new ArgumentException($"The data does not make a {type.Name}.", nameof(data)));
        }
        catch (JsonException error)
        {
            throw new ArgumentException($"The data does not fit {type.Name} at '{error.Path}': {error.Message}", nameof(data), error);
        }
        await new RunHandle(loop).SendEventAsync(ev, step).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops committing (after what is queued); runs still going are left for the next process to resume.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_committer is not null)
        {
            await _committer.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task ResumeAsync(StoredRun stored)
    {
        var run = stored.Run;
        var model = _registry.FindModel(run.Workflow, run.Version);
        var problem = model is null
            ? $"workflow '{run.Workflow}' version {run.Version} is not registered in this process, so the run cannot resume."
            : stored.StateJson is null ? "no resume state was committed for it." : null;
        if (problem is not null)
        {
            DurabilityLog.RunNotResumable(_logger, run.Id, problem);
            await FailUnresumableAsync(stored, problem).ConfigureAwait(false);
            return;
        }
        model = WithEngineSettings(model!);
        var state = JsonSerializer.Deserialize<ResumeState>(stored.StateJson!, WorkflowJson.Options)!;
        var start = StartEventFactory.Create(typeof(StartEvent), JsonNode.Parse(run.InputJson) as JsonObject);
        // The correlation id goes along: every commit writes the run row whole, and a retried start must still find it.
        Track(new RunLoop(model, run.Id, start, Tasks, _time, _logger, _committer, state, run.CreatedAt, stored.Tasks) { CorrelationId = run.CorrelationId });
    }

    /// <summary>Ends a run that cannot resume as failed, with its open tasks canceled, in one commit.</summary>
    private async Task FailUnresumableAsync(StoredRun stored, string problem)
    {
        var now = _time.GetUtcNow();
        var error = new RunError(null, "not_resumable", $"Run {stored.Run.Id} cannot resume: {problem}");
        var item = new RunFailed(error) { Sequence = stored.Run.LastSequence + 1, Timestamp = now, RunId = stored.Run.Id };
        var committed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _committer!.Enqueue(new RunCommit(stored.Run.Id)
        {
            Run = stored.Run with { Status = RunStatus.Failed, ErrorJson = JsonSerializer.Serialize(error, WorkflowJson.Options), LastSequence = item.Sequence, UpdatedAt = now, EndedAt = now },
            Items = [new StoredItem(item.RunId, item.Sequence, item.Type, now, JsonSerializer.Serialize(item, WorkflowJson.Options))],
            Tasks = stored.Tasks.Where(t => t.Status == HumanTaskStatus.Pending)
                .Select(t => t with { Status = HumanTaskStatus.Canceled, CancelReason = "the run cannot resume", CompletedAt = now }).ToArray(),
        }, committed.SetResult);
        await committed.Task.ConfigureAwait(false);
    }

    // Correlation ids claimed by runs this engine retains (so two starts racing with one id start one run, also before a
    // durable run's first commit makes it visible in the store); a run's id is forgotten when the run is no longer retained.
    private readonly ConcurrentDictionary<string, string> _correlations = new(StringComparer.Ordinal);

    /// <summary>Lets go of the correlation id <paramref name="loop"/> claimed, if it claimed one (when it leaves memory).</summary>
    private void ForgetCorrelation(RunLoop loop)
    {
        if (loop.CorrelationId is { } correlationId)
        {
            _correlations.TryRemove(KeyValuePair.Create(correlationId, loop.RunId));
        }
    }

    /// <summary>Reserves a correlation id for a new run, or says which run has it (in this process or in the store).</summary>
    private async Task ClaimCorrelationAsync(string correlationId, string runId, CancellationToken cancellationToken)
    {
        if (_store is not null && (await _store.ListRunsAsync(new RunListQuery { CorrelationId = correlationId, Limit = 1 }, cancellationToken).ConfigureAwait(false)) is [var stored])
        {
            throw new DuplicateCorrelationException(correlationId, stored.Id);
        }
        var holder = _correlations.GetOrAdd(correlationId, runId);
        if (holder != runId)
        {
            throw new DuplicateCorrelationException(correlationId, holder);
        }
    }

    private WorkflowModel WithEngineSettings(WorkflowModel model) =>
        (model.Timeout is null && _options.DefaultRunTimeout is not null) || (_options.Verbose && !model.Verbose)
            ? model.WithSettings(model.Timeout ?? _options.DefaultRunTimeout, model.Verbose || _options.Verbose)
            : model;

    private RunLoop Track(RunLoop loop)
    {
        // Once it has settled it is no longer active (RunLoop.IsSettled); it stays retained for lookups.
        Retain(loop);
        loop.StatusRelay = _statusRelay;
        loop.Start();
        return loop;
    }
}
