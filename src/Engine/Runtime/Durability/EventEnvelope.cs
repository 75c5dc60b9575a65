using System.Text.Json.Nodes;

namespace Workflows.Runtime.Durability;

/// <summary>An event as persisted: the name of its type (the full name we choose to persist, no assembly version), its data, and a start event's input.</summary>
internal sealed record EventEnvelope(string Type, JsonNode? Data, JsonObject? Input = null);
