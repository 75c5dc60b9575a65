using System.ComponentModel;
using System.Text.Json.Serialization;

namespace Workflows.Server.Endpoints.Contracts;

/// <summary>The (optional) body of <c>POST /api/instances/{id}/cancel</c>.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record CancelInstanceRequest
{
    /// <summary>Why, recorded in the <c>run.canceled</c> item.</summary>
    [Description("Why, recorded in the run.canceled item.")]
    public string? Reason { get; init; }
}
