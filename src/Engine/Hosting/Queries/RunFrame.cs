using System.Text.Json;
using Workflows.Serialization;

namespace Workflows;

/// <summary>One item of a run's stream, ready to send: what an SSE frame carries (<c>id</c>, <c>event</c>, <c>data</c>).</summary>
/// <param name="Sequence">The item's sequence (the SSE id).</param>
/// <param name="Type">The item type (the SSE event).</param>
/// <param name="Json">The item as JSON (the SSE data).</param>
public sealed record RunFrame(long Sequence, string Type, string Json)
{
    /// <summary>The frame of an item held in memory: its JSON as the store keeps it.</summary>
    internal static RunFrame Of(RunItem item) =>
        new(item.Sequence, item.Type, JsonSerializer.Serialize(item, item.GetType(), WorkflowJson.Options));
}
