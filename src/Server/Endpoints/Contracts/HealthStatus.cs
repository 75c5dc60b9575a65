namespace Workflows.Server.Endpoints.Contracts;

/// <summary>The answer of <c>GET /health</c>.</summary>
/// <param name="Status"><c>healthy</c>.</param>
public sealed record HealthStatus(string Status);
