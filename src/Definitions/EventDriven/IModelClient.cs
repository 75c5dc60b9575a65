namespace Workflows.Definitions.EventDriven;

/// <summary>
/// Asks a language model a question: the seam of <c>multi_model</c>. The catalogue ships
/// <see cref="FakeModelClient"/>, which answers locally; pass your own implementation to
/// <see cref="MultiModelWorkflow(IModelClient?)"/> to call real models.
/// </summary>
public interface IModelClient
{
    /// <summary>Returns the answer of <see cref="ModelRequest.Model"/> to <see cref="ModelRequest.Prompt"/>.</summary>
    /// <param name="request">Which model, and what to ask it.</param>
    /// <param name="cancellationToken">Fires when the run ends before the answer is needed.</param>
    /// <returns>The model's answer.</returns>
    Task<string> CompleteAsync(ModelRequest request, CancellationToken cancellationToken);
}

/// <summary>One question to one model.</summary>
/// <param name="Model">The model's name, as the run's input gives it.</param>
/// <param name="Prompt">The question.</param>
public sealed record ModelRequest(string Model, string Prompt)
{
    /// <summary>The latency the run's input asks a simulated client to have; a real client ignores it.</summary>
    public int SimulatedLatencyMs { get; init; }
}
