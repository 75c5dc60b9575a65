namespace Workflows;

/// <summary>
/// A graph step that runs code: override <see cref="ExecuteAsync"/>. Its return value is the step's output
/// (JSON-serialisable): group callbacks and later steps read it with <see cref="WorkflowContext.GetOutput{T}"/>.
/// </summary>
public abstract class BaseMachineStep : GraphStep
{
    /// <summary>Creates a step named <paramref name="name"/>.</summary>
    protected BaseMachineStep(string name) : base(name)
    {
    }

    /// <summary>Bound on one attempt, in seconds (0 = none). An overrun fails the attempt with <see cref="StepTimeoutException"/>.</summary>
    public double TimeoutSeconds { get; init; }

    /// <summary>What happens when an attempt fails; default one attempt.</summary>
    public RetryPolicy Retry { get; init; } = RetryPolicy.None;

    /// <summary>The step's work.</summary>
    public abstract Task<object?> ExecuteAsync(WorkflowContext context, CancellationToken cancellationToken);

    /// <summary>Guard: false records the step <c>skipped</c> and the flow continues along its edges.</summary>
    public virtual bool CanExecute(WorkflowContext context) => true;

    /// <summary>Runs after a successful execution, with its output.</summary>
    public virtual Task OnSuccessAsync(WorkflowContext context, object? output, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Runs once when the step has failed for good (after its last attempt), before the failure propagates.</summary>
    public virtual Task OnFailureAsync(WorkflowContext context, Exception error, CancellationToken cancellationToken) => Task.CompletedTask;

    internal StepOptions ToOptions(int numWorkers = 1) => new()
    {
        NumWorkers = numWorkers,
        Retry = Retry,
        Timeout = TimeoutSeconds > 0 ? TimeSpan.FromSeconds(TimeoutSeconds) : null,
    };
}
