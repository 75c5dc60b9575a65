using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Workflows.Server.Security;

/// <summary>
/// Salted PBKDF2 password hashes, written <c>pbkdf2-sha256$&lt;iterations&gt;$&lt;salt, base64&gt;$&lt;hash, base64&gt;</c>, so that
/// the cost can be raised later without invalidating the hashes already stored.
/// </summary>
public static class PasswordHashing
{
    /// <summary>The prefix that names the algorithm.</summary>
    public const string Prefix = "pbkdf2-sha256";

    /// <summary>The iterations of new hashes.</summary>
    public const int DefaultIterations = 210_000;

    /// <summary>Fewer iterations are refused when the server starts: such a hash is too cheap to guess against.</summary>
    public const int MinimumIterations = 10_000;

    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    /// <summary>The format in words, for error messages.</summary>
    public const string Format = Prefix + "$<iterations>$<salt, base64>$<hash, base64> (print one with: Workflows.Server hash-password)";

    /// <summary>Hashes <paramref name="password"/> with a fresh random salt.</summary>
    public static string Hash(string password, int iterations = DefaultIterations)
    {
        ArgumentException.ThrowIfNullOrEmpty(password);
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, HashBytes);
        return string.Join('$', Prefix, iterations.ToString(CultureInfo.InvariantCulture), Convert.ToBase64String(salt), Convert.ToBase64String(hash));
    }

    /// <summary>Whether <paramref name="stored"/> is a hash this class can check, or why not.</summary>
    public static string? Problem(string? stored) => Parse(stored, out _, out _, out _);

    /// <summary>Whether <paramref name="password"/> matches <paramref name="stored"/>; the comparison takes the same time wherever they differ.</summary>
    public static bool Verify(string password, string stored)
    {
        if (Parse(stored, out var iterations, out var salt, out var expected) is not null)
        {
            return false;
        }
        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password ?? ""), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    private static string? Parse(string? stored, out int iterations, out byte[] salt, out byte[] hash)
    {
        iterations = 0;
        salt = hash = [];
        var parts = (stored ?? "").Split('$');
        if (parts.Length != 4 || parts[0] != Prefix)
        {
            return $"is not a password hash; expected {Format}";
        }
        if (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out iterations) || iterations < MinimumIterations)
        {
            return $"has {parts[1]} iterations; use at least {MinimumIterations} (expected {Format})";
        }
        try
        {
            salt = Convert.FromBase64String(parts[2]);
            hash = Convert.FromBase64String(parts[3]);
        }
        catch (FormatException)
        {
            return $"has a salt or hash that is not base64; expected {Format}";
        }
        return salt.Length < 8 || hash.Length < 16 ? $"has a salt or hash that is too short; expected {Format}" : null;
    }
}
