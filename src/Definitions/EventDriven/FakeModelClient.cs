namespace Workflows.Definitions.EventDriven;

/// <summary>
/// A stand-in for a model service: waits for the simulated latency and answers with a canned sentence that
/// names the model and the prompt. It never touches the network.
/// </summary>
public sealed class FakeModelClient : IModelClient
{
    /// <inheritdoc/>
    public async Task<string> CompleteAsync(ModelRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await Task.Delay(SimulatedDelay.Clamp(request.SimulatedLatencyMs), cancellationToken).ConfigureAwait(false);
        return $"{request.Model} answers: {request.Prompt}";
    }
}
