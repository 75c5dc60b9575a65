namespace Workflows.Model;

/// <summary>Runs one invocation of a step; the result is whatever the step returned (an event, null, or a mistake).</summary>
internal delegate ValueTask<object?> StepInvoker(IStepContext context, Event ev, CancellationToken cancellationToken);
