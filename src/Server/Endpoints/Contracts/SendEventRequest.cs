using System.ComponentModel;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Workflows.Server.Endpoints.Contracts;

/// <summary>The body of <c>POST /api/instances/{id}/events</c>: an external event for an event-driven run.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record SendEventRequest
{
    /// <summary>The event type's name, one of the workflow's <c>externalEvents</c> (case is ignored).</summary>
    [Description("The event type's name, one of the workflow's externalEvents (case is ignored).")]
    public string? Type { get; init; }

    /// <summary>The event's fields.</summary>
    [Description("The event's fields.")]
    public JsonObject? Data { get; init; }
}
