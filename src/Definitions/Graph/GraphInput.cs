using Workflows.Definitions.EventDriven;

namespace Workflows.Definitions.Graph;

/// <summary>
/// Reads the simulated timings of the graph catalogue from the run's context (which starts as the input), with the
/// reference's value as the default, so that tests and benchmarks choose how long the "services" take.
/// </summary>
internal static class GraphInput
{
    /// <summary>The delay at <paramref name="path"/> (e.g. <c>delaysMs.email</c>), or <paramref name="defaultMs"/>; never negative.</summary>
    public static int DelayMs(WorkflowContext context, string path, int defaultMs) =>
        SimulatedDelay.Clamp(context.Get<int?>(path) ?? defaultMs);

    /// <summary>Waits the delay at <paramref name="path"/>; cancelling <paramref name="cancellationToken"/> ends the wait at once.</summary>
    public static Task DelayAsync(WorkflowContext context, string path, int defaultMs, CancellationToken cancellationToken) =>
        Task.Delay(DelayMs(context, path, defaultMs), cancellationToken);
}
