namespace Workflows;

/// <summary>The engine's <see cref="IFormValidator"/> implementations, for code that should not depend on them directly.</summary>
public static class FormValidators
{
    /// <summary>
    /// The default validator: JSON Schema (draft 4 to 7 keywords, as NJsonSchema reads them), every violation at once with
    /// an RFC 6901 pointer and a readable message. Thread-safe; caches parsed schemas, so share it.
    /// </summary>
    public static IFormValidator JsonSchema { get; } = new JsonSchemaFormValidator();
}
