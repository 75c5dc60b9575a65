namespace Workflows.Definitions.Graph;

/// <summary>
/// <c>resilient_fetch</c>, partial-failure handling: <c>fetch_all</c>, a <see cref="ParallelGroup"/> of
/// <c>fetch_api1</c>, <c>fetch_api2</c> and <c>fetch_api3</c>, each of which catches its own error and records it in
/// the context, so the flow continues to the callback <c>handle_results</c>, which lists successes and failures.
/// </summary>
/// <remarks>
/// Input: <c>failing</c>, the apis that fail (none by default; e.g. <c>["api2"]</c>); <c>delayMs</c> (100), the time
/// each simulated fetch takes. Per api the context gets <c>fetch_&lt;api&gt;_success</c> and either
/// <c>fetch_&lt;api&gt;_data</c> or <c>fetch_&lt;api&gt;_error</c>; then <c>successful_fetches</c> and
/// <c>failed_fetches</c>. When no fetch succeeded, <c>handle_results</c> fails the run with "All data fetches failed".
/// </remarks>
public static class ResilientFetch
{
    /// <summary>The registered name.</summary>
    public const string Name = "resilient_fetch";

    /// <summary>The message of the run's error when every fetch failed.</summary>
    public const string AllFailedMessage = "All data fetches failed";

    private const int DefaultDelayMs = 100;
    private static readonly string[] s_apis = ["api1", "api2", "api3"];

    /// <summary>A new definition (its steps are new instances too).</summary>
    public static WorkflowDefinition Create() => new()
    {
        Name = Name,
        Description = "Three fetches that may fail record their own errors; handle_results lists successes and failures.",
        Steps =
        [
            new ParallelGroup("fetch_all", [.. s_apis.Select(api => new ResilientFetchStep(api))], new HandleResults())
            {
                Description = "Fetches api1, api2 and api3 concurrently, each catching its own error, then handles the results.",
            },
        ],
        InitialStep = "fetch_all",
        TerminalSteps = ["fetch_all"],
    };

    /// <summary>Fetches from one api (simulated: waits <c>delayMs</c>, then fails if the input lists it); never fails itself.</summary>
    private sealed class ResilientFetchStep(string api) : BaseMachineStep($"fetch_{api}")
    {
        public override async Task<object?> ExecuteAsync(WorkflowContext context, CancellationToken cancellationToken)
        {
            try
            {
                var data = await FetchAsync(context, cancellationToken).ConfigureAwait(false);
                context.Set($"fetch_{api}_data", data);
                context.Set($"fetch_{api}_success", true);
                return data;
            }
            catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // The point of the pattern: the error becomes data and the group goes on. Only the run's own
                // cancellation (it is ending) is left to propagate.
                context.Set($"fetch_{api}_error", error.Message);
                context.Set($"fetch_{api}_success", false);
                return null;
            }
        }

        private async Task<string> FetchAsync(WorkflowContext context, CancellationToken cancellationToken)
        {
            await GraphInput.DelayAsync(context, "delayMs", DefaultDelayMs, cancellationToken).ConfigureAwait(false);
            var failing = context.Get<string[]>("failing") ?? [];
            return failing.Contains(api, StringComparer.Ordinal)
                ? throw new HttpRequestException($"{api} is unavailable.")
                : $"data from {api}";
        }
    }

    /// <summary>The callback: lists which fetches succeeded and which failed; fails when none succeeded.</summary>
    private sealed class HandleResults() : BaseMachineStep("handle_results")
    {
        public override Task<object?> ExecuteAsync(WorkflowContext context, CancellationToken cancellationToken)
        {
            var successful = s_apis.Where(api => context.Get<bool>($"fetch_{api}_success")).ToArray();
            var failed = s_apis.Except(successful).ToArray();
            context.Set("successful_fetches", successful);
            context.Set("failed_fetches", failed);
            return successful.Length == 0
                ? throw new InvalidOperationException(AllFailedMessage)
                : Task.FromResult<object?>(successful.Length);
        }
    }
}
