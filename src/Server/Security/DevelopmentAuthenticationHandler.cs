using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Workflows.Server.Security;

/// <summary>
/// Development mode: every request is authenticated, with every permission, as the user in <c>X-User</c> (default
/// <see cref="SecuritySchemes.DevelopmentUser"/>) in the groups of <c>X-Groups</c> (comma-separated).
/// </summary>
internal sealed class DevelopmentAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory loggers, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggers, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var user = Request.Headers[SecuritySchemes.UserHeader].ToString().Trim();
        var groups = Request.Headers[SecuritySchemes.GroupsHeader].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var principal = WorkflowClaims.Principal(Scheme.Name, user.Length == 0 ? SecuritySchemes.DevelopmentUser : user, groups, [Permissions.Everything],
            [new Claim(WorkflowClaims.Development, "true")]);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) => AuthenticationProblems.WriteUnauthorizedAsync(Context, null);

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) => AuthenticationProblems.WriteForbiddenAsync(Context);
}
