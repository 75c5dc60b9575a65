namespace Workflows.Model;

/// <summary>
/// Runs one invocation of a step; the result is whatever the step returned (an event, null, or a mistake). A step
/// that observes cancellation reads <see cref="IStepContext.CancellationToken"/>: the run's token is made only then.
/// </summary>
internal delegate ValueTask<object?> StepInvoker(IStepContext context, Event ev);
