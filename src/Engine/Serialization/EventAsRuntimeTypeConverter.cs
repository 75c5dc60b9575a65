using System.Text.Json;
using System.Text.Json.Serialization;

namespace Workflows.Serialization;

/// <summary>
/// Writes a value declared as <see cref="Event"/> with the properties of its runtime type (items carry events
/// declared as the base type; without this they would serialise as <c>{}</c>). Items are written, never read back
/// as typed values, so reading is not supported.
/// </summary>
internal sealed class EventAsRuntimeTypeConverter : JsonConverter<Event>
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert == typeof(Event);

    public override Event Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("Events are read back through the engine's event codec, not as the base type.");

    public override void Write(Utf8JsonWriter writer, Event value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value, value.GetType(), options);
}
