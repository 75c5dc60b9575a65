namespace Workflows.Server.Security;

/// <summary>
/// The server binary's helpers for configuring security:
/// <c>Workflows.Server hash-password</c> reads a password from standard input (a line) and prints its hash for
/// <c>Workflows:Security:Users:&lt;name&gt;:PasswordHash</c>; <c>Workflows.Server new-api-key</c> prints a new random
/// key and the hash for <c>Workflows:Security:ApiKeys:&lt;name&gt;:Hash</c>.
/// </summary>
internal static class SecurityCommands
{
    public const string HashPassword = "hash-password";
    public const string NewApiKey = "new-api-key";

    public static bool IsRequested(string[] args) => args.Length > 0 && args[0] is HashPassword or NewApiKey;

    /// <summary>Runs the command in <paramref name="args"/>[0]; the exit code.</summary>
    public static int Run(string[] args, TextReader input, TextWriter output, TextWriter error)
    {
        if (args[0] == NewApiKey)
        {
            var key = ApiKeyHashing.NewKey();
            output.WriteLine($"key:  {key}");
            output.WriteLine($"hash: {ApiKeyHashing.Hash(key)}");
            error.WriteLine("Give the key to the caller (X-Api-Key header); store only the hash, e.g. Workflows__Security__ApiKeys__<name>__Hash.");
            return 0;
        }
        // Read from standard input rather than the command line, which shells keep in their history and `ps` shows.
        if (args.Length > 1)
        {
            error.WriteLine("hash-password reads the password from standard input, not from the command line: printf %s 'secret' | Workflows.Server hash-password");
            return 2;
        }
        var password = input.ReadLine();
        if (string.IsNullOrEmpty(password))
        {
            error.WriteLine("hash-password: no password on standard input.");
            return 1;
        }
        output.WriteLine(PasswordHashing.Hash(password));
        return 0;
    }
}
