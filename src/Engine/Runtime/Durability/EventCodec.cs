using System.Collections.Concurrent;
using System.Text.Json;
using Workflows.Model;
using Workflows.Serialization;

namespace Workflows.Runtime.Durability;

/// <summary>
/// Turns events into <see cref="EventEnvelope"/>s and back. Types are named by their full name and resolved among
/// the types the workflow declares, then in the assemblies that declare them (a step may emit a subtype of what it
/// declares). Assembly versions are never persisted, so a rebuilt server still reads its runs.
/// </summary>
internal sealed class EventCodec
{
    private static readonly Type[] s_builtIn = [typeof(StartEvent), typeof(StopEvent), typeof(InputRequiredEvent), typeof(HumanResponseEvent), typeof(GraphTrigger)];
    private readonly ConcurrentDictionary<string, Type> _types = new(StringComparer.Ordinal);
    private readonly System.Reflection.Assembly[] _assemblies;

    public EventCodec(WorkflowModel model)
    {
        var declared = model.Steps.SelectMany(s => s.Accepts.Concat(s.Emits)).Append(model.StartEventType).Concat(model.ExternalEventTypes).Concat(s_builtIn).Distinct().ToArray();
        foreach (var type in declared)
        {
            _types[NameOf(type)] = type;
        }
        _assemblies = declared.Select(t => t.Assembly).Distinct().ToArray();
    }

    public static string NameOf(Type type) => type.FullName ?? type.Name;

    public EventEnvelope Encode(Event ev) => new(
        NameOf(ev.GetType()),
        JsonSerializer.SerializeToNode(ev, ev.GetType(), WorkflowJson.Options),
        ev is StartEvent start ? start.Input : null);

    public Event Decode(EventEnvelope envelope)
    {
        var type = _types.GetOrAdd(envelope.Type, name => _assemblies.Select(a => a.GetType(name)).FirstOrDefault(t => t is not null && typeof(Event).IsAssignableFrom(t))
            ?? throw new InvalidOperationException($"The persisted event type '{name}' is not known to this workflow any more."));
        if (type == typeof(GraphTrigger))
        {
            return GraphTrigger.Instance;
        }
        var ev = (Event)(envelope.Data.Deserialize(type, WorkflowJson.Options)
            ?? throw new InvalidOperationException($"The persisted event of type '{envelope.Type}' is empty."));
        if (ev is StartEvent start)
        {
            start.Input = envelope.Input ?? [];
        }
        return ev;
    }
}
