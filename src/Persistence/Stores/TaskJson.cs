using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Workflows.Persistence.EntityFramework.Stores;

/// <summary>The JSON columns of <c>tasks</c>: form schema, data and the deadline action.</summary>
internal static class TaskJson
{
    // Stored text is never embedded in HTML, so keep non-ASCII characters readable rather than \u-escaped.
    private static readonly JsonSerializerOptions s_options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonWriterOptions s_writerOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string WriteObject(JsonObject value) => value.ToJsonString(s_options);

    public static JsonObject ReadObject(string json, string column) =>
        JsonNode.Parse(json) as JsonObject ?? throw new InvalidDataException($"The stored {column} is not a JSON object.");

    /// <summary><c>{"kind":"default_outcome","data":{…}}</c>, <c>{"kind":"escalate","group":"…"}</c>, or null.</summary>
    public static string? WriteDueAction(DueAction? action)
    {
        if (action is null)
        {
            return null;
        }
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, s_writerOptions))
        {
            writer.WriteStartObject();
            switch (action)
            {
                case DefaultOutcomeAction outcome:
                    writer.WriteString("kind", "default_outcome");
                    writer.WritePropertyName("data");
                    outcome.Data.WriteTo(writer);
                    break;
                case EscalateAction escalate:
                    writer.WriteString("kind", "escalate");
                    writer.WriteString("group", escalate.Group);
                    break;
                default:
                    throw new NotSupportedException($"The deadline action {action.GetType().Name} has no stored form; add one to TaskJson.");
            }
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    public static DueAction? ReadDueAction(string? json)
    {
        if (json is null)
        {
            return null;
        }
        var node = ReadObject(json, "on_due");
        return (string?)node["kind"] switch
        {
            "default_outcome" => DueAction.DefaultOutcome(node["data"] as JsonObject
                ?? throw new InvalidDataException("The stored on_due default outcome has no data object.")),
            "escalate" => DueAction.Escalate((string?)node["group"]
                ?? throw new InvalidDataException("The stored on_due escalation names no group.")),
            var kind => throw new InvalidDataException($"The stored on_due kind '{kind}' is not known to this build."),
        };
    }
}
