using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Workflows.Server.Endpoints.Contracts;
using Workflows.Server.Hosting;

namespace Workflows.Server.Endpoints;

/// <summary><c>GET /health</c>: 200 while the server answers and (with a store) the database answers, else 503.</summary>
public static partial class HealthEndpoints
{
    /// <summary>Maps <c>GET /health</c>.</summary>
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/health", GetHealth)
            .WithName("GetHealth")
            .WithSummary("Health check")
            .WithDescription("200 {status: \"healthy\"} when the database answers (a one-row run query) or runs live in memory; 503 problem otherwise.")
            .WithTags("Health")
            .AllowAnonymous()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return endpoints;
    }

    internal static async Task<Results<Ok<HealthStatus>, ProblemHttpResult>> GetHealth(
        LocalExecutionEngine engine,
        IOptions<WorkflowServerOptions> options,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        if (engine.IsDurable)
        {
            var timeout = options.Value.HealthTimeoutSeconds;
            try
            {
                await engine.ListRunsAsync(new RunListQuery { Limit = 1 }, cancellationToken).WaitAsync(TimeSpan.FromSeconds(timeout), cancellationToken);
            }
            catch (Exception error) when (!cancellationToken.IsCancellationRequested)
            {
                LogStoreUnavailable(loggers.CreateLogger("Workflows.Server.Health"), error);
                return Problems.StoreUnavailable(timeout);
            }
        }
        return TypedResults.Ok(new HealthStatus(HealthStatus.Healthy));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Health check: the run store did not answer.")]
    private static partial void LogStoreUnavailable(ILogger logger, Exception error);
}
