using System.Text.Json;

namespace Workflows.Serialization;

/// <summary>The JSON conventions of the whole product: camelCase, case-insensitive reads.</summary>
public static class WorkflowJson
{
    /// <summary>Options for events, inputs, state and results.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.Converters.Add(new EventAsRuntimeTypeConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
