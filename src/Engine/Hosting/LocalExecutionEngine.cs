using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Workflows.Runtime;

namespace Workflows;

/// <summary>Starts runs of registered workflows in this process.</summary>
public sealed class LocalExecutionEngine
{
    private readonly WorkflowRegistry _registry;
    private readonly EngineOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, RunLoop> _activeRuns = new(StringComparer.Ordinal);

    /// <summary>Creates an engine over <paramref name="registry"/>; every other argument has a default.</summary>
    public LocalExecutionEngine(
        WorkflowRegistry registry,
        IOptions<EngineOptions>? options = null,
        ILoggerFactory? loggerFactory = null,
        TimeProvider? timeProvider = null)
    {
        _registry = registry;
        _options = options?.Value ?? new EngineOptions();
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Workflows.Runtime");
        _time = timeProvider ?? TimeProvider.System;
        Tasks = new HumanTaskService(registry.FormValidator, id => _activeRuns.GetValueOrDefault(id), _time);
    }

    /// <summary>The human tasks of this engine's runs: the inbox, completion and cancellation.</summary>
    public HumanTaskService Tasks { get; }

    /// <summary>The workflows this engine runs.</summary>
    public WorkflowRegistry Registry => _registry;

    /// <summary>
    /// Starts a run of <paramref name="name"/> (the latest version, or <paramref name="version"/>) with
    /// <paramref name="input"/> as its start event's fields, and returns at once with its handle.
    /// </summary>
    /// <exception cref="KeyNotFoundException">No such workflow or version.</exception>
    /// <exception cref="ArgumentException">The input is not a JSON object or does not fit the start event.</exception>
    public Task<RunHandle> StartWorkflowAsync(string name, object? input = null, string? version = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var model = _registry.FindModel(name, version) ?? throw new KeyNotFoundException(version is null
            ? $"No workflow named '{name}' is registered."
            : $"Workflow '{name}' has no version {version}.");
        if ((model.Timeout is null && _options.DefaultRunTimeout is not null) || (_options.Verbose && !model.Verbose))
        {
            model = model.WithSettings(model.Timeout ?? _options.DefaultRunTimeout, model.Verbose || _options.Verbose);
        }
        var start = StartEventFactory.Create(model.StartEventType, input);
        var loop = new RunLoop(model, Guid.CreateVersion7().ToString("N"), start, Tasks, _time, _logger);
        _activeRuns[loop.RunId] = loop;
        // Forget the loop once it ends: its handle and items stay with whoever holds the handle.
        loop.Outcome.ContinueWith(static (ended, state) =>
        {
            var (runs, id) = ((System.Collections.Concurrent.ConcurrentDictionary<string, RunLoop>, string))state!;
            runs.TryRemove(id, out _);
        }, (_activeRuns, loop.RunId), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        _ = loop.RunAsync();
        return Task.FromResult(new RunHandle(loop));
    }
}
