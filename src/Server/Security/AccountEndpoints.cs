using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Workflows.Server.Endpoints;

namespace Workflows.Server.Security;

/// <summary>Signing people in and out with the cookie, and <c>GET /api/me</c>: who the server thinks the caller is.</summary>
public static partial class AccountEndpoints
{
    /// <summary>Maps <c>POST /account/signin</c>, <c>POST /account/signout</c> and <c>GET /api/me</c>.</summary>
    public static IEndpointRouteBuilder MapAccountApi(this IEndpointRouteBuilder endpoints)
    {
        var account = endpoints.MapGroup("/account").WithTags("Account").AllowAnonymous()
            .AddEndpointFilter(RefuseCrossSiteAsync);
        // The form carries no antiforgery token (any sign-in page may post it); cross-site posts are refused by their
        // Origin / Sec-Fetch-Site instead, and the cookie is SameSite=Strict.
        account.MapPost("/signin", SignIn)
            .DisableAntiforgery()
            .RequireRateLimiting(RateLimits.SignIns)
            .WithName("SignIn")
            .WithSummary("Sign in (form post)")
            .WithDescription("Form fields username, password, returnUrl. 302 to returnUrl (local paths only; / otherwise) with the sign-in cookie, " +
                "or 302 to /signin?error=1&returnUrl=... when the name or password is wrong. 403 for a post from another site; 429 after " +
                "Workflows:Security:SignInAttemptsPerMinute attempts from one address.")
            .Produces(StatusCodes.Status302Found)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        account.MapPost("/signout", SignOut)
            .DisableAntiforgery()
            .WithName("SignOut")
            .WithSummary("Sign out")
            .WithDescription("Removes the sign-in cookie; 302 to returnUrl (local paths only) or /signin. 403 for a post from another site.")
            .Produces(StatusCodes.Status302Found)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        endpoints.MapGet("/api/me", GetMe)
            .WithTags("Account")
            .WithName("GetMe")
            .WithSummary("Who am I")
            .WithDescription("The caller's name, groups and permissions, and whether the server runs in Development mode (pages show a banner). 401 when anonymous.")
            .RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        return endpoints;
    }

    internal static async Task<Results<RedirectHttpResult, ProblemHttpResult>> SignIn(
        HttpContext context, CallerDirectory directory, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (!context.Request.HasFormContentType)
        {
            return Problems.SignInNotAForm();
        }
        var form = await context.Request.ReadFormAsync(cancellationToken);
        var userName = form["username"].ToString().Trim();
        var returnUrl = LocalOrNull(form["returnUrl"].ToString());
        if (userName.Length == 0 || directory.SignIn(userName, form["password"].ToString()) is not { } user)
        {
            LogSignInFailed(loggers.CreateLogger("Workflows.Server.Security"), userName);
            return TypedResults.Redirect($"{SignInCookie.SignInPath}?error=1&returnUrl={Uri.EscapeDataString(returnUrl ?? "/")}");
        }
        var principal = WorkflowClaims.Principal(SecuritySchemes.Cookie, userName, user.Groups, user.Permissions);
        await context.SignInAsync(SecuritySchemes.Cookie, principal);
        LogSignedIn(loggers.CreateLogger("Workflows.Server.Security"), userName);
        return TypedResults.Redirect(returnUrl ?? "/");
    }

    internal static async Task<RedirectHttpResult> SignOut(HttpContext context, string? returnUrl)
    {
        await context.SignOutAsync(SecuritySchemes.Cookie);
        return TypedResults.Redirect(LocalOrNull(returnUrl) ?? SignInCookie.SignInPath);
    }

    internal static Ok<Me> GetMe(ClaimsPrincipal user, IOptionsMonitor<SecurityOptions> security) =>
        TypedResults.Ok(new Me(user.Name(), user.Groups(), user.PermissionsOf(), security.CurrentValue.Mode == SecurityMode.Development));

    /// <summary>A path on this server (<c>/tasks?x=1</c>), never another site (<c>//evil</c>, <c>/\evil</c>, <c>https://…</c>).</summary>
    internal static string? LocalOrNull(string? url) =>
        url is { Length: > 0 } && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) && !url.Any(char.IsControl) ? url : null;

    /// <summary>A form posted by a page of another site (its Origin is not this host, or the browser says cross-site) is refused.</summary>
    private static async ValueTask<object?> RefuseCrossSiteAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var request = invocation.HttpContext.Request;
        var fetchSite = request.Headers["Sec-Fetch-Site"].ToString();
        var origin = request.Headers.Origin.ToString();
        var crossOrigin = origin.Length > 0 && origin != "null"
            && (!Uri.TryCreate(origin, UriKind.Absolute, out var parsed) || !string.Equals(parsed.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase));
        if (fetchSite.Equals("cross-site", StringComparison.OrdinalIgnoreCase) || crossOrigin || origin == "null")
        {
            return Problems.CrossSiteRefused();
        }
        return await next(invocation);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in failed for user '{User}' (unknown user or wrong password).")]
    private static partial void LogSignInFailed(ILogger logger, string user);

    [LoggerMessage(Level = LogLevel.Information, Message = "User '{User}' signed in.")]
    private static partial void LogSignedIn(ILogger logger, string user);
}

/// <summary>The answer of <c>GET /api/me</c>.</summary>
/// <param name="Name">The caller's name (the user, or the identity an API key acts as).</param>
/// <param name="Groups">The caller's groups.</param>
/// <param name="Permissions">The caller's permissions.</param>
/// <param name="Development">True when the server runs in Development mode (no sign-in; anyone may do anything).</param>
public sealed record Me(string Name, IReadOnlyList<string> Groups, IReadOnlyList<string> Permissions, bool Development);
