using System.Text.Json.Nodes;

namespace Workflows;

/// <summary>
/// Checks human-task form data against the task's JSON Schema. The engine's implementation uses NJsonSchema;
/// the port exists so the engine's task rules can be tested without it.
/// </summary>
public interface IFormValidator
{
    /// <summary>Every problem of <paramref name="schema"/> itself (checked when a definition is registered); empty when usable.</summary>
    IReadOnlyList<string> CheckSchema(JsonObject schema);

    /// <summary>Every violation of <paramref name="schema"/> by <paramref name="data"/>, at once; empty when valid.</summary>
    /// <remarks>Pure: the same inputs give the same errors, in document order. Never throws for bad data.</remarks>
    IReadOnlyList<FieldError> Validate(JsonObject schema, JsonNode? data);
}
