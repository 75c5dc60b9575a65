using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Workflows.Server.Security;

/// <summary>
/// Authenticates the <c>X-Api-Key</c> header against the configured key hashes. No header: no result (another
/// scheme may answer); a key that matches no hash: failure (401). The key is never logged nor echoed.
/// </summary>
internal sealed partial class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggers,
    UrlEncoder encoder,
    CallerDirectory directory)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggers, encoder)
{
    private const string UnknownKey = "The API key in X-Api-Key is not one this server knows.";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(SecuritySchemes.ApiKeyHeader, out var values) || values.Count == 0)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }
        var presented = values.Count == 1 ? values[0]?.Trim() : null;
        if (string.IsNullOrEmpty(presented) || directory.FindKey(presented) is not { } found)
        {
            LogUnknownKey(Logger, Request.Method, Request.Path);
            return Task.FromResult(AuthenticateResult.Fail(UnknownKey));
        }
        var (name, key) = found;
        var principal = WorkflowClaims.Principal(Scheme.Name, string.IsNullOrWhiteSpace(key.User) ? name : key.User.Trim(), key.Groups, key.Permissions,
            [new Claim(WorkflowClaims.ApiKeyName, name)]);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        await AuthenticationProblems.WriteUnauthorizedAsync(Context, result.Failure is null ? null : UnknownKey);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) => AuthenticationProblems.WriteForbiddenAsync(Context);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused an unknown API key on {Method} {Path}.")]
    private static partial void LogUnknownKey(ILogger logger, string method, string path);
}
