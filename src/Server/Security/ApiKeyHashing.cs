using System.Security.Cryptography;
using System.Text;

namespace Workflows.Server.Security;

/// <summary>
/// API keys are stored as <c>sha256:&lt;lowercase hex&gt;</c> of their UTF-8 bytes. The keys are long random strings
/// (<c>Workflows.Server new-api-key</c> makes one), so a fast hash is enough: there is nothing to guess.
/// </summary>
public static class ApiKeyHashing
{
    /// <summary>The prefix that names the algorithm.</summary>
    public const string Prefix = "sha256:";

    /// <summary>The format in words, for error messages.</summary>
    public const string Format = "sha256:<64 lowercase hex digits: the SHA-256 of the key's UTF-8 bytes> (print one with: printf %s \"$KEY\" | sha256sum)";

    /// <summary>The stored form of <paramref name="key"/>.</summary>
    public static string Hash(string key) => Prefix + Convert.ToHexStringLower(Digest(key));

    /// <summary>A new random key: 32 bytes, base64url (43 characters).</summary>
    public static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Why <paramref name="stored"/> is not a key hash, or null when it is one.</summary>
    public static string? Problem(string? stored) =>
        stored is { Length: 71 } && stored.StartsWith(Prefix, StringComparison.Ordinal) && stored[Prefix.Length..].All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'))
            ? null
            : $"is not a key hash; expected {Format}";

    /// <summary>The SHA-256 of the key's UTF-8 bytes.</summary>
    public static byte[] Digest(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>The 32 bytes of a well-formed stored hash (see <see cref="Problem"/>).</summary>
    public static byte[] Bytes(string stored) => Convert.FromHexString(stored.AsSpan(Prefix.Length));
}
