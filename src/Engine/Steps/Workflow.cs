using System.Reflection;
using Microsoft.Extensions.Logging;
using Workflows.Model;

namespace Workflows;

/// <summary>
/// Base class of event-driven workflows: derive from it and mark methods with <see cref="StepAttribute"/>.
/// An instance is a definition, not a run: it may be registered once and run any number of times at once,
/// so keep per-run data in the events and in <see cref="IStepContext.Store"/>, never in fields.
/// </summary>
/// <example>
/// <code>
/// public sealed class Greeter : Workflow
/// {
///     [Step]
///     public StopEvent Greet(StartEvent ev) => new($"Hello, {ev.Get&lt;string&gt;("name")}!");
/// }
/// var result = await new Greeter().RunAsync(new { name = "Ada" });
/// </code>
/// </example>
public abstract class Workflow
{
    private WorkflowModel? _model;

    /// <summary>The workflow's registered name; by default the class name in snake_case.</summary>
    public virtual string Name => StepNames.ToSnakeCase(GetType().Name);

    /// <summary>Semantic version (default 1.0.0).</summary>
    public virtual string Version => "1.0.0";

    /// <summary>One line for catalogues and the API.</summary>
    public virtual string? Description => null;

    /// <summary>Wall-clock bound of each run; null (the default) means none. On expiry the run ends as timed_out.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Count time spent waiting for people against <see cref="Timeout"/> (by default it is not counted).</summary>
    public bool TimeoutIncludesHumanWait { get; init; }

    /// <summary>Logs "Running step X", "Step X produced event Y" and "Step X produced no event".</summary>
    public bool Verbose { get; init; }

    /// <summary>
    /// Event types that may be posted into a running run from outside (<see cref="RunHandle.SendEventAsync"/>);
    /// validation counts them as produced.
    /// </summary>
    protected virtual IEnumerable<Type> ExternalEvents => [];

    /// <summary>Starts a run on a private engine: the quickest way to run a workflow from code or a test.</summary>
    public Task<RunHandle> StartAsync(object? input = null, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        var registry = new WorkflowRegistry();
        registry.Register(this);
        return new LocalExecutionEngine(registry, loggerFactory: loggerFactory).StartWorkflowAsync(Name, input, cancellationToken: cancellationToken);
    }

    /// <summary>Runs to the end and returns the result (<see cref="StopEvent.Result"/>); throws <see cref="WorkflowRunException"/> when the run does not complete.</summary>
    public async Task<object?> RunAsync(object? input = null, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        var run = await StartAsync(input, loggerFactory, cancellationToken).ConfigureAwait(false);
        return await run;
    }

    /// <summary>Compiles and validates the steps once; throws <see cref="WorkflowValidationException"/> with every problem.</summary>
    internal WorkflowModel GetModel() => _model ??= Compile();

    private WorkflowModel Compile()
    {
        var errors = new List<string>();
        var steps = new List<StepModel>();
        var methods = GetType().GetMethods(BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic);
        foreach (var method in methods)
        {
            if (method.GetCustomAttribute<StepAttribute>() is { } attribute
                && StepMethodCompiler.Compile(this, method, attribute, errors) is { } step)
            {
                steps.Add(step);
            }
        }
        var external = ExternalEvents.ToArray();
        var startType = EventFlowValidator.Validate(steps, external, errors);
        if (errors.Count > 0 || startType is null)
        {
            throw new WorkflowValidationException(Name, errors);
        }
        return new WorkflowModel(Name, Version, Description, steps, startType, external, Timeout, Verbose, timeoutCountsWaiting: TimeoutIncludesHumanWait);
    }
}
