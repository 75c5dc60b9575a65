using System.Security.Claims;

namespace Workflows.Server.Security;

/// <summary>The claims the server's authentication schemes give a caller, and how endpoints read them back.</summary>
public static class WorkflowClaims
{
    /// <summary>One claim per group the caller is in.</summary>
    public const string Group = "workflows:group";

    /// <summary>One claim per permission the caller has (<see cref="Permissions"/>, <c>*</c> expanded).</summary>
    public const string Permission = "workflows:permission";

    /// <summary>The configured API key the caller presented, by name (never the key itself).</summary>
    public const string ApiKeyName = "workflows:api-key";

    /// <summary>Present (value <c>true</c>) when the caller is the Development mode's stand-in.</summary>
    public const string Development = "workflows:development";

    /// <summary>A principal for <paramref name="name"/> with its groups and permissions, authenticated by <paramref name="scheme"/>.</summary>
    public static ClaimsPrincipal Principal(string scheme, string name, IEnumerable<string> groups, IEnumerable<string> permissions, IEnumerable<Claim>? extra = null)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, name) };
        claims.AddRange(groups.Select(g => g.Trim()).Where(g => g.Length > 0).Distinct(StringComparer.Ordinal).Select(g => new Claim(Group, g)));
        claims.AddRange(Permissions.Expand(permissions).Select(p => new Claim(Permission, p)));
        claims.AddRange(extra ?? []);
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme, ClaimTypes.Name, Group));
    }

    /// <summary>The caller's name (empty when anonymous).</summary>
    public static string Name(this ClaimsPrincipal user) => user.Identity?.Name ?? "";

    /// <summary>The caller's groups.</summary>
    public static string[] Groups(this ClaimsPrincipal user) => user.FindAll(Group).Select(c => c.Value).ToArray();

    /// <summary>The caller's permissions.</summary>
    public static string[] PermissionsOf(this ClaimsPrincipal user) => user.FindAll(Permission).Select(c => c.Value).ToArray();

    /// <summary>Whether the caller is the Development mode's stand-in.</summary>
    public static bool IsDevelopment(this ClaimsPrincipal user) => user.HasClaim(Development, "true");

    /// <summary>The caller as the engine's task service sees it: the assignee check compares names, the group check groups.</summary>
    public static TaskCaller ToTaskCaller(this ClaimsPrincipal user) => new(user.Name(), user.Groups());
}
