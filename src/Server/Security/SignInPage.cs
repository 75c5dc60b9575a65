using System.Net;

namespace Workflows.Server.Security;

/// <summary>
/// A bare <c>GET /signin</c> page: a form posting to <c>/account/signin</c>. The pages of the server replace it with
/// their own (then delete this file and its <c>MapSignInPage</c> call in Program.cs).
/// </summary>
public static class SignInPage
{
    /// <summary>Maps <c>GET /signin</c>, open to everyone.</summary>
    public static IEndpointRouteBuilder MapSignInPage(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(SignInCookie.SignInPath, (string? returnUrl, string? error) =>
            TypedResults.Content(Html(AccountEndpoints.LocalOrNull(returnUrl) ?? "/", error is not null), "text/html; charset=utf-8"))
            .AllowAnonymous()
            .ExcludeFromDescription();
        return endpoints;
    }

    private static string Html(string returnUrl, bool failed) => $"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>Sign in · Workflows</title></head>
        <body>
        <h1>Sign in</h1>
        {(failed ? "<p role=\"alert\">Wrong user name or password.</p>" : "")}
        <form method="post" action="/account/signin">
        <input type="hidden" name="returnUrl" value="{WebUtility.HtmlEncode(returnUrl)}">
        <p><label>User name <input name="username" autocomplete="username" required></label></p>
        <p><label>Password <input name="password" type="password" autocomplete="current-password" required></label></p>
        <p><button type="submit">Sign in</button></p>
        </form>
        </body></html>
        """;
}
