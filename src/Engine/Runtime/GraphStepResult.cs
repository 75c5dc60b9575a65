using System.Text.Json.Nodes;

namespace Workflows.Runtime;

/// <summary>What a graph step's body reports to the loop: skipped, or completed with its output as JSON.</summary>
internal sealed record GraphStepResult(bool WasSkipped, JsonNode? Output) : Event
{
    public static GraphStepResult Skipped { get; } = new(true, null);
}
