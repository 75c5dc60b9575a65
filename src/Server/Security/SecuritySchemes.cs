namespace Workflows.Server.Security;

/// <summary>The names of the authentication schemes the server registers.</summary>
public static class SecuritySchemes
{
    /// <summary>The default scheme: picks one of the others for each request (<see cref="SecurityServiceCollectionExtensions"/>).</summary>
    public const string Selector = "Workflows";

    /// <summary><c>X-Api-Key</c>.</summary>
    public const string ApiKey = "ApiKey";

    /// <summary>The sign-in cookie of people using the pages.</summary>
    public const string Cookie = "Cookie";

    /// <summary>Development mode: everyone is whoever <c>X-User</c> says.</summary>
    public const string Development = "Development";

    /// <summary>The request header that carries an API key.</summary>
    public const string ApiKeyHeader = "X-Api-Key";

    /// <summary>Development mode's user header.</summary>
    public const string UserHeader = "X-User";

    /// <summary>Development mode's groups header (comma-separated).</summary>
    public const string GroupsHeader = "X-Groups";

    /// <summary>Development mode's caller when no <c>X-User</c> is sent.</summary>
    public const string DevelopmentUser = "developer";
}
