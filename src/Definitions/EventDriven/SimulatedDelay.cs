namespace Workflows.Definitions.EventDriven;

/// <summary>
/// The catalogue sleeps where the originals call slow services; how long comes from the run's input, so that
/// tests and benchmarks choose their timing.
/// </summary>
internal static class SimulatedDelay
{
    /// <summary>A delay from the input, never negative: <see cref="Task.Delay(int)"/> reads -1 as "forever".</summary>
    public static int Clamp(int milliseconds) => Math.Max(0, milliseconds);

    /// <summary>A random delay in [<paramref name="minMs"/>, <paramref name="maxMs"/>], both included.</summary>
    public static int Random(int minMs, int maxMs) => System.Random.Shared.Next(minMs, maxMs + 1);

    /// <summary>The delay the input gives for item <paramref name="index"/>, or a random one when it gives none.</summary>
    public static int ForIndex(IReadOnlyList<int>? delays, int index, int minMs, int maxMs) =>
        delays is not null && index < delays.Count ? Clamp(delays[index]) : Random(minMs, maxMs);
}
