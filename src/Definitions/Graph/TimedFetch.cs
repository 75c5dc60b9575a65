namespace Workflows.Definitions.Graph;

/// <summary>
/// <c>timed_fetch</c>: one step, <c>timed_fetch</c>, which bounds a fetch of configurable length by its own timeout
/// (30 s by default) and, when the fetch overruns, records <c>timed_out</c> instead of failing.
/// </summary>
/// <remarks>
/// <para>Input: <c>delayMs</c> (100), the time the simulated fetch takes; <c>timeoutSeconds</c> (30). Outcome in the
/// context: <c>data</c>, or <c>timed_out = true</c> (and <c>data</c> null).</para>
/// <para>Like the reference's <c>asyncio.wait_for</c>, the bound is inside the step: the step catches the timeout,
/// cancels the fetch through its token and completes. The engine's <see cref="BaseMachineStep.TimeoutSeconds"/> is
/// not used, since there an overrun is a failure of the step.</para>
/// </remarks>
public static class TimedFetch
{
    /// <summary>The registered name.</summary>
    public const string Name = "timed_fetch";

    /// <summary>The fetch's bound when the input gives none.</summary>
    public const double DefaultTimeoutSeconds = 30;

    private const int DefaultDelayMs = 100;

    /// <summary>A new definition (its step is a new instance too).</summary>
    public static WorkflowDefinition Create() => new()
    {
        Name = Name,
        Description = "A fetch bounded by a timeout (30 s by default): data, or timed_out = true.",
        Steps = [new TimedFetchStep()],
        InitialStep = "timed_fetch",
        TerminalSteps = ["timed_fetch"],
    };

    /// <summary>Runs the fetch under the timeout; an overrun is recorded, not thrown.</summary>
    private sealed class TimedFetchStep() : BaseMachineStep("timed_fetch")
    {
        public override async Task<object?> ExecuteAsync(WorkflowContext context, CancellationToken cancellationToken)
        {
            var timeout = TimeSpan.FromSeconds(Math.Max(0, context.Get<double?>("timeoutSeconds") ?? DefaultTimeoutSeconds));
            using var fetchCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var fetch = FetchAsync(context, fetchCancellation.Token);
            try
            {
                var data = await fetch.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
                context.Set("data", data);
                return data;
            }
            catch (TimeoutException)
            {
                await fetchCancellation.CancelAsync().ConfigureAwait(false);
                try
                {
                    await fetch.ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // The abandoned fetch stopped as asked.
                }
                context.Set("timed_out", true);
                context.Set<string?>("data", null);
                return null;
            }
        }

        private static async Task<string> FetchAsync(WorkflowContext context, CancellationToken cancellationToken)
        {
            await GraphInput.DelayAsync(context, "delayMs", DefaultDelayMs, cancellationToken).ConfigureAwait(false);
            return "fetched data";
        }
    }
}
