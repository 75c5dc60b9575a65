using Workflows.Runtime;

namespace Workflows.Model;

/// <summary>The runtime body of a graph machine step: guard, execute, record the output, hooks.</summary>
internal static class MachineStepInvoker
{
    public static StepInvoker Create(BaseMachineStep step) => async (context, _, cancellationToken) =>
    {
        var invocation = (StepInvocation)context;
        var view = invocation.Loop.CreateContext(step.Name);
        if (!step.CanExecute(view))
        {
            return GraphStepResult.Skipped;
        }
        object? output;
        try
        {
            output = await step.ExecuteAsync(view, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (!invocation.Step.Options.Retry.ShouldRetry(invocation.Attempt, error))
        {
            // Only after the last attempt: earlier failures are retried, not failures of the step.
            await step.OnFailureAsync(view, error, cancellationToken).ConfigureAwait(false);
            throw;
        }
        invocation.Loop.Outputs!.Set(step.Name, output);
        await step.OnSuccessAsync(view, output, cancellationToken).ConfigureAwait(false);
        return GraphStepResult.Completed;
    };
}
