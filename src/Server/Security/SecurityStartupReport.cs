using Microsoft.Extensions.Options;

namespace Workflows.Server.Security;

/// <summary>
/// Says at start-up how callers are treated: a warning in Development mode (anyone may do anything), an error when
/// the mode is Enforced but no user and no key is configured (every request will be refused), else who is configured.
/// </summary>
internal sealed partial class SecurityStartupReport(IOptions<SecurityOptions> options, ILogger<SecurityStartupReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var security = options.Value;
        if (security.Mode == SecurityMode.Development)
        {
            LogDevelopment(logger);
        }
        else if (security.Users.Count == 0 && security.ApiKeys.Count == 0)
        {
            LogNobody(logger);
        }
        else
        {
            LogEnforced(logger, security.Users.Count, security.ApiKeys.Count);
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message =
        "SECURITY IS OFF (Workflows:Security:Mode = Development): every request may do anything, as whoever X-User says. " +
        "Never expose this server; set the mode to Enforced and configure users or API keys (docs/security.md).")]
    private static partial void LogDevelopment(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message =
        "No users and no API keys are configured (Workflows:Security:Users, Workflows:Security:ApiKeys): every API request will be refused with 401. " +
        "See docs/security.md to add one, or set Workflows:Security:Mode to Development on a developer's machine.")]
    private static partial void LogNobody(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Security enforced: {Users} user(s) may sign in, {Keys} API key(s) are configured.")]
    private static partial void LogEnforced(ILogger logger, int users, int keys);
}
