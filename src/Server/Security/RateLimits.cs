using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Workflows.Server.Endpoints;
using Workflows.Server.Hosting;

namespace Workflows.Server.Security;

/// <summary>
/// The server's rate limits, each answered 429 with <c>Retry-After</c>:
/// run starts, a token bucket per caller (per API key, or per signed-in user) refilled at
/// <see cref="WorkflowServerOptions.RunStartsPerSecond"/> up to <see cref="WorkflowServerOptions.RunStartBurst"/>;
/// sign-in attempts, <see cref="SecurityOptions.SignInAttemptsPerMinute"/> per client address, so that passwords
/// cannot be guessed quickly (and PBKDF2's cost cannot be turned against the server).
/// </summary>
internal static class RateLimits
{
    /// <summary>The rate limiter policy the start route requires.</summary>
    public const string RunStarts = "run-starts";

    /// <summary>The rate limiter policy the sign-in route requires.</summary>
    public const string SignIns = "sign-ins";

    public static IServiceCollection AddWorkflowRateLimits(this IServiceCollection services) => services.AddRateLimiter(options =>
    {
        options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        options.OnRejected = RejectAsync;
        options.AddPolicy(RunStarts, RunStartPartition);
        options.AddPolicy(SignIns, SignInPartition);
    });

    private static RateLimitPartition<string> SignInPartition(HttpContext context)
    {
        var perMinute = context.RequestServices.GetRequiredService<IOptions<SecurityOptions>>().Value.SignInAttemptsPerMinute;
        if (perMinute <= 0)
        {
            return RateLimitPartition.GetNoLimiter("off");
        }
        // By address: the name is the attacker's choice, the address less so (behind a proxy, every client shares one).
        return RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = perMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    private static RateLimitPartition<string> RunStartPartition(HttpContext context)
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
        var signIn = rejected.HttpContext.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName == SignIns;
        await (signIn ? Problems.TooManySignIns(seconds) : Problems.TooManyStarts(rejected.HttpContext.User.Name(), seconds)).ExecuteAsync(rejected.HttpContext);
    }
}
