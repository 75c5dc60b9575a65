using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Workflows.Server.Security;

/// <summary>
/// Looks callers up in the current <see cref="SecurityOptions"/> (reloaded when the configuration changes): a user by
/// name and password, a key by its value. Both take the same time whether or not the name or key is known.
/// </summary>
internal sealed class CallerDirectory(IOptionsMonitor<SecurityOptions> options)
{
    // Checked against when the user name is unknown, so that an unknown name costs what a wrong password costs.
    private static readonly string s_decoyHash = PasswordHashing.Hash("decoy password, never valid");

    /// <summary>The configured user when <paramref name="password"/> is theirs, else null.</summary>
    public UserOptions? SignIn(string userName, string password)
    {
        var known = options.CurrentValue.Users.TryGetValue(userName, out var user) && user.PasswordHash is not null;
        var matches = PasswordHashing.Verify(password, known ? user!.PasswordHash! : s_decoyHash);
        return known && matches ? user : null;
    }

    /// <summary>The configured user named <paramref name="userName"/>, or null (a cookie of a user since removed).</summary>
    public UserOptions? FindUser(string userName) =>
        options.CurrentValue.Users.TryGetValue(userName, out var user) ? user : null;

    /// <summary>The name and settings of the key whose hash matches <paramref name="presented"/>, or null.</summary>
    /// <remarks>Every configured hash is compared, in constant time, so the time taken says nothing about which key came close.</remarks>
    public (string Name, ApiKeyOptions Key)? FindKey(string presented)
    {
        var digest = ApiKeyHashing.Digest(presented);
        (string, ApiKeyOptions)? found = null;
        foreach (var (name, key) in options.CurrentValue.ApiKeys)
        {
            if (key.Hash is { } hash && ApiKeyHashing.Problem(hash) is null
                && CryptographicOperations.FixedTimeEquals(digest, ApiKeyHashing.Bytes(hash)))
            {
                found = (name, key);
            }
        }
        return found;
    }
}
