using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Workflows.Server.Endpoints;
using Workflows.Server.Hosting;

namespace Workflows.Server.Security;

/// <summary>
/// The rate limit of run starts: a token bucket per caller (per API key, or per signed-in user), refilled at
/// <see cref="WorkflowServerOptions.RunStartsPerSecond"/> up to <see cref="WorkflowServerOptions.RunStartBurst"/>.
/// A start over the limit is answered 429 with <c>Retry-After</c>.
/// </summary>
internal static class RunStartRateLimiting
{
    /// <summary>The rate limiter policy the start route requires.</summary>
    public const string Policy = "run-starts";

    public static IServiceCollection AddRunStartRateLimiting(this IServiceCollection services) => services.AddRateLimiter(options =>
    {
        options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        options.OnRejected = RejectAsync;
        options.AddPolicy(Policy, Partition);
    });

    private static RateLimitPartition<string> Partition(HttpContext context)
    {
        var server = context.RequestServices.GetRequiredService<IOptions<WorkflowServerOptions>>().Value;
        if (server.RunStartsPerSecond <= 0)
        {
            return RateLimitPartition.GetNoLimiter("off");
        }
        var user = context.User;
        var caller = user.FindFirst(WorkflowClaims.ApiKeyName) is { } key ? "key:" + key.Value : "user:" + user.Name();
        return RateLimitPartition.GetTokenBucketLimiter(caller, _ =>
        {
            // Whole tokens only: at least one a second, or one every 1/rate seconds below that.
            var (period, tokens) = server.RunStartsPerSecond >= 1
                ? (TimeSpan.FromSeconds(1), (int)Math.Round(server.RunStartsPerSecond))
                : (TimeSpan.FromSeconds(1 / server.RunStartsPerSecond), 1);
            return new TokenBucketRateLimiterOptions
            {
                TokenLimit = server.RunStartBurst,
                TokensPerPeriod = tokens,
                ReplenishmentPeriod = period,
                QueueLimit = 0,
                AutoReplenishment = true,
            };
        });
    }

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        int? seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
            : null;
        if (seconds is { } value)
        {
            rejected.HttpContext.Response.Headers.RetryAfter = value.ToString(CultureInfo.InvariantCulture);
        }
        await Problems.TooManyStarts(rejected.HttpContext.User.Name(), seconds).ExecuteAsync(rejected.HttpContext);
    }
}
