namespace Workflows.Definitions.Graph;

/// <summary>
/// <c>throttled_notify</c>: <c>notify</c>, a <see cref="ParallelGroup"/> of ten senders (<c>send_1</c> ..
/// <c>send_10</c>) with <c>maxConcurrency</c> 5: never more than five send at once.
/// </summary>
/// <remarks>
/// Input: <c>delayMs</c> (100), the time each simulated send takes. Outcome in the context: <c>sent = 10</c>. The
/// senders run concurrently and all count into the same number, so each increment is a read-modify-write inside
/// <see cref="WorkflowContext.EditAsync"/>; a plain Get then Set would lose updates.
/// </remarks>
public static class ThrottledNotify
{
    /// <summary>The registered name.</summary>
    public const string Name = "throttled_notify";

    /// <summary>How many senders the group has.</summary>
    public const int SenderCount = 10;

    /// <summary>How many of them may run at once.</summary>
    public const int MaxConcurrency = 5;

    private const int DefaultDelayMs = 100;

    /// <summary>A new definition (its steps are new instances too).</summary>
    public static WorkflowDefinition Create() => new()
    {
        Name = Name,
        Description = "Ten senders in a parallel group throttled to five at once; counts sent = 10.",
        Steps =
        [
            new ParallelGroup("notify", [.. Enumerable.Range(1, SenderCount).Select(i => new Send(i))], maxConcurrency: MaxConcurrency)
            {
                Description = $"send_1 .. send_{SenderCount}, at most {MaxConcurrency} at once.",
            },
        ],
        InitialStep = "notify",
        TerminalSteps = ["notify"],
    };

    /// <summary>One sender (simulated: waits <c>delayMs</c>), then adds one to <c>sent</c>.</summary>
    private sealed class Send(int number) : BaseMachineStep($"send_{number}")
    {
        public override async Task<object?> ExecuteAsync(WorkflowContext context, CancellationToken cancellationToken)
        {
            await GraphInput.DelayAsync(context, "delayMs", DefaultDelayMs, cancellationToken).ConfigureAwait(false);
            await context.EditAsync(state =>
            {
                state.Set("sent", state.Get<int>("sent") + 1);
                return Task.CompletedTask;
            }, cancellationToken).ConfigureAwait(false);
            return number;
        }
    }
}
