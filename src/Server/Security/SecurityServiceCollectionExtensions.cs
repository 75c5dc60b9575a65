using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;

namespace Workflows.Server.Security;

/// <summary>Registers authentication (API keys, the sign-in cookie, Development mode), the permission policies and the start-up report.</summary>
public static class SecurityServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="SecurityOptions"/> to <c>Workflows:Security</c> (validated on start); registers the schemes
    /// (<see cref="SecuritySchemes"/>) behind a selector that takes <c>X-Api-Key</c> when it is sent, else the
    /// cookie (or, in Development mode, everyone); one policy per permission; a fallback policy that requires an
    /// authenticated caller wherever a route says nothing (routes open to all say <c>AllowAnonymous</c>).
    /// </summary>
    public static IServiceCollection AddWorkflowSecurity(this IServiceCollection services)
    {
        services.AddOptions<SecurityOptions>().BindConfiguration(SecurityOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SecurityOptions>, SecurityOptionsValidator>();
        services.AddSingleton<CallerDirectory>();
        services.AddHostedService<SecurityStartupReport>();

        services.AddAuthentication(SecuritySchemes.Selector)
            .AddPolicyScheme(SecuritySchemes.Selector, "API key, cookie or Development mode", options =>
                options.ForwardDefaultSelector = SelectScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(SecuritySchemes.ApiKey, null)
            .AddScheme<AuthenticationSchemeOptions, DevelopmentAuthenticationHandler>(SecuritySchemes.Development, null)
            .AddCookie(SecuritySchemes.Cookie);
        services.AddOptions<KeyManagementOptions>().Configure<IOptions<SecurityOptions>, ILoggerFactory>(SignInKeyRing.Configure);
        services.AddOptions<CookieAuthenticationOptions>(SecuritySchemes.Cookie).Configure<IOptions<SecurityOptions>>(SignInCookie.Configure);

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Permissions.RunsStart, Require(Permissions.RunsStart))
            .AddPolicy(Permissions.RunsCancel, Require(Permissions.RunsCancel))
            .AddPolicy(Permissions.RunsRead, Require(Permissions.RunsRead))
            .AddPolicy(Permissions.TasksComplete, Require(Permissions.TasksComplete));
        return services;
    }

    private static AuthorizationPolicy Require(string permission) =>
        new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireClaim(WorkflowClaims.Permission, permission).Build();

    /// <summary>Development mode takes every request; otherwise a request with <c>X-Api-Key</c> is the key's, any other the cookie's.</summary>
    private static string SelectScheme(HttpContext context) =>
        context.RequestServices.GetRequiredService<IOptionsMonitor<SecurityOptions>>().CurrentValue.Mode == SecurityMode.Development
            ? SecuritySchemes.Development
            : context.Request.Headers.ContainsKey(SecuritySchemes.ApiKeyHeader) ? SecuritySchemes.ApiKey : SecuritySchemes.Cookie;
}
