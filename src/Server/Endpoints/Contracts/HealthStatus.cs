namespace Workflows.Server.Endpoints.Contracts;

/// <summary>The answer of <c>GET /health</c>.</summary>
/// <param name="Status"><c>healthy</c>.</param>
public sealed record HealthStatus(string Status)
{
    /// <summary>The one value of <see cref="Status"/> in a 200 answer.</summary>
    public const string Healthy = "healthy";
}
