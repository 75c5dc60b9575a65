using Workflows.Server.Endpoints;

namespace Workflows.Server.Security;

/// <summary>The 401 and 403 answers of every scheme, as problem documents.</summary>
internal static class AuthenticationProblems
{
    /// <summary>401: who are you? <paramref name="reason"/> says what was wrong with what was sent, if anything was.</summary>
    public static Task WriteUnauthorizedAsync(HttpContext context, string? reason)
    {
        context.Response.Headers.WWWAuthenticate = $"ApiKey header=\"{SecuritySchemes.ApiKeyHeader}\"";
        return Problems.Unauthenticated(reason).ExecuteAsync(context);
    }

    /// <summary>403: you may not do this (the route's permission is missing).</summary>
    public static Task WriteForbiddenAsync(HttpContext context)
    {
        var needed = context.GetEndpoint()?.Metadata.GetOrderedMetadata<Microsoft.AspNetCore.Authorization.IAuthorizeData>()
            .Select(a => a.Policy).OfType<string>().Where(Permissions.IsKnown).ToArray() ?? [];
        return Problems.PermissionMissing(context.User.Name(), needed).ExecuteAsync(context);
    }
}
