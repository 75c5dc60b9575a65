using System.ComponentModel;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Workflows.Server.Endpoints.Contracts;

/// <summary>The body of <c>POST /api/workflows/{name}/instances</c>. Unknown members are refused (400), so a misplaced input field is reported, not ignored.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record StartInstanceRequest
{
    /// <summary>The run's input: the start event's fields (event-driven) or the initial context (graph).</summary>
    [Description("The run's input: the start event's fields (event-driven) or the initial context (graph).")]
    public JsonObject? Input
    {
        get => _input;
        init
        {
            _input = value;
            InputSent = true;
        }
    }

    private readonly JsonObject? _input;

    /// <summary>True when the body had an <c>input</c> member, even <c>null</c> (which is refused: omit it instead).</summary>
    [JsonIgnore]
    internal bool InputSent { get; private init; }

    /// <summary>A registered version; the latest when omitted.</summary>
    [Description("A registered version; the latest when omitted.")]
    public string? Version { get; init; }

    /// <summary>The caller's id for this run, unique across runs: a second start with it answers 409 naming the first run.</summary>
    [Description("The caller's id for this run, unique across runs: a second start with it answers 409 naming the first run.")]
    public string? CorrelationId { get; init; }
}
