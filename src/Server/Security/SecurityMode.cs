namespace Workflows.Server.Security;

/// <summary>How the server treats callers (<c>Workflows:Security:Mode</c>).</summary>
public enum SecurityMode
{
    /// <summary>The default: every API route needs a signed-in user or an API key with the route's permission.</summary>
    Enforced,

    /// <summary>
    /// No sign-in: every request has every permission, and the caller is whoever <c>X-User</c> and <c>X-Groups</c>
    /// say. For a developer's machine only; the server warns at start-up and <c>GET /api/me</c> says so.
    /// </summary>
    Development,
}
