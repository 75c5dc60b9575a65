using Microsoft.AspNetCore.Http.HttpResults;
using Workflows.Server.Endpoints.Contracts;

namespace Workflows.Server.Endpoints;

/// <summary><c>GET /health</c>: answers while the server runs (the database check joins it with persistence).</summary>
internal static class HealthEndpoints
{
    public static void MapHealth(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/health", GetHealth)
            .WithName("GetHealth")
            .WithSummary("Health check")
            .WithDescription("200 {status: \"healthy\"} while the server answers.")
            .WithTags("Health");

    internal static Ok<HealthStatus> GetHealth() => TypedResults.Ok(new HealthStatus("healthy"));
}
