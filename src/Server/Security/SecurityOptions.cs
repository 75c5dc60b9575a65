namespace Workflows.Server.Security;

/// <summary>Who may call the server (configuration section <c>Workflows:Security</c>); checked when the host starts.</summary>
public sealed class SecurityOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Workflows:Security";

    /// <summary><see cref="SecurityMode.Enforced"/> (the default) or <see cref="SecurityMode.Development"/>.</summary>
    public SecurityMode Mode { get; set; } = SecurityMode.Enforced;

    /// <summary>People who sign in with a password, keyed by user name.</summary>
    public Dictionary<string, UserOptions> Users { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Keys for services and scripts (sent in <c>X-Api-Key</c>), keyed by the key's name.</summary>
    public Dictionary<string, ApiKeyOptions> ApiKeys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>How long a sign-in lasts without activity, in minutes (default 480; each request renews it).</summary>
    public double SessionMinutes { get; set; } = 480;

    /// <summary>
    /// A directory for the keys that protect sign-in cookies (created if missing); unset: the framework's default
    /// (<c>~/.aspnet/DataProtection-Keys</c>, in memory when there is no home directory). Set it on a volume in a
    /// container, or people sign in again after every restart.
    /// </summary>
    public string? KeyRingDirectory { get; set; }

    /// <summary>Sign-in attempts each client address may make per minute (default 10); more are answered 429. 0 turns the limit off.</summary>
    public int SignInAttemptsPerMinute { get; set; } = 10;
}

/// <summary>A person who signs in (<c>Workflows:Security:Users:&lt;name&gt;</c>).</summary>
public sealed class UserOptions
{
    /// <summary>The password's salted PBKDF2 hash, as printed by <c>Workflows.Server hash-password</c>.</summary>
    public string? PasswordHash { get; set; }

    /// <summary>The user's groups: a task for a group may be completed by its members.</summary>
    public List<string> Groups { get; set; } = [];

    /// <summary>The user's permissions (<see cref="Permissions"/>; <c>*</c> for all).</summary>
    public List<string> Permissions { get; set; } = [];
}

/// <summary>An API key (<c>Workflows:Security:ApiKeys:&lt;name&gt;</c>); only its hash is stored.</summary>
public sealed class ApiKeyOptions
{
    /// <summary><c>sha256:</c> and the lowercase hex SHA-256 of the key's UTF-8 bytes.</summary>
    public string? Hash { get; set; }

    /// <summary>The identity the key acts as (tasks completed with it carry this name); the key's name when unset or empty.</summary>
    public string? User { get; set; }

    /// <summary>The groups the key acts in.</summary>
    public List<string> Groups { get; set; } = [];

    /// <summary>The key's permissions (<see cref="Permissions"/>; <c>*</c> for all).</summary>
    public List<string> Permissions { get; set; } = [];
}
