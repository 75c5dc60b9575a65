using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace Workflows.Server.Security;

/// <summary>
/// The sign-in cookie: HTTP-only and <c>SameSite=Strict</c> (a page on another site cannot make the browser send it,
/// so it cannot drive the API as the user), sliding expiry, and problem documents instead of redirects for the API.
/// </summary>
internal static class SignInCookie
{
    /// <summary>The cookie's name.</summary>
    public const string Name = ".Workflows.SignIn";

    /// <summary>The page people sign in on.</summary>
    public const string SignInPath = "/signin";

    public static void Configure(CookieAuthenticationOptions cookie, IOptions<SecurityOptions> security)
    {
        cookie.Cookie.Name = Name;
        cookie.Cookie.HttpOnly = true;
        cookie.Cookie.SameSite = SameSiteMode.Strict;
        cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        cookie.ExpireTimeSpan = TimeSpan.FromMinutes(security.Value.SessionMinutes);
        cookie.SlidingExpiration = true;
        cookie.LoginPath = SignInPath;
        cookie.ReturnUrlParameter = "returnUrl";
        cookie.Events.OnRedirectToLogin = context => IsApi(context.Request)
            ? AuthenticationProblems.WriteUnauthorizedAsync(context.HttpContext, null)
            : Redirect(context);
        cookie.Events.OnRedirectToAccessDenied = context => AuthenticationProblems.WriteForbiddenAsync(context.HttpContext);
        cookie.Events.OnValidatePrincipal = Refresh;
    }

    /// <summary>Pages redirect to the sign-in page; the API and scripts get a 401 problem.</summary>
    private static bool IsApi(HttpRequest request) =>
        request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
        || request.Path.StartsWithSegments("/account", StringComparison.OrdinalIgnoreCase)
        || !request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);

    private static Task Redirect(RedirectContext<CookieAuthenticationOptions> context)
    {
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Each request re-reads the user from configuration: a user removed since signing in is signed out, and changed
    /// groups or permissions take effect at once rather than when the cookie expires.
    /// </summary>
    private static async Task Refresh(CookieValidatePrincipalContext context)
    {
        var name = context.Principal?.Identity?.Name;
        var directory = context.HttpContext.RequestServices.GetRequiredService<CallerDirectory>();
        if (name is null || directory.FindUser(name) is not { } user)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(SecuritySchemes.Cookie);
            return;
        }
        context.ReplacePrincipal(WorkflowClaims.Principal(SecuritySchemes.Cookie, name, user.Groups, user.Permissions));
    }
}
