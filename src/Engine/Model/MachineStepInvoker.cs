using Workflows.Graph;
using Workflows.Runtime;

namespace Workflows.Model;

/// <summary>
/// The runtime body of a graph machine step: guard, execute, hooks. The output travels back in the result and the
/// loop records it only if it accepts the result, so a race loser that finishes anyway leaves no output behind.
/// </summary>
internal static class MachineStepInvoker
{
    public static StepInvoker Create(BaseMachineStep step) => async (context, _) =>
    {
        var invocation = (StepInvocation)context;
        var cancellationToken = context.CancellationToken;
        var view = invocation.Loop.CreateContext(step.Name);
        if (!step.CanExecute(view))
        {
            return GraphStepResult.Skipped;
        }
        // A failure reaches OnFailureAsync through StepInvocation (OnFailed below), which also sees timeouts.
        var output = await step.ExecuteAsync(view, cancellationToken).ConfigureAwait(false);
        // Returning after its token fired (a race it lost, a run that ended) is not a success: no hook, no output.
        cancellationToken.ThrowIfCancellationRequested();
        // Serialised here, on the worker, so the loop only stores a ready JSON value.
        var json = StepOutputs.ToJson(output);
        await step.OnSuccessAsync(view, output, cancellationToken).ConfigureAwait(false);
        return new GraphStepResult(WasSkipped: false, json);
    };

    /// <summary>The step's <see cref="BaseMachineStep.OnFailureAsync"/>, for <see cref="StepModel.OnFailedForGood"/>.</summary>
    public static Func<StepInvocation, Exception, Task> OnFailed(BaseMachineStep step) => (invocation, error) =>
        step.OnFailureAsync(invocation.Loop.CreateContext(step.Name), error, invocation.Loop.RunCancellation);
}
