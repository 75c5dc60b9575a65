using Microsoft.Extensions.Options;

namespace Workflows.Server.Security;

/// <summary>
/// Refuses to start with a malformed hash, an unknown permission or a key without a hash; each failure names the
/// configuration key to fix (and never prints a hash's value).
/// </summary>
internal sealed class SecurityOptionsValidator : IValidateOptions<SecurityOptions>
{
    public ValidateOptionsResult Validate(string? name, SecurityOptions options)
    {
        var failures = new List<string>();
        if (!Enum.IsDefined(options.Mode))
        {
            failures.Add($"{SecurityOptions.SectionName}:Mode must be Enforced or Development.");
        }
        if (options.SessionMinutes is not (>= 1 and <= 60 * 24 * 30))
        {
            failures.Add($"{SecurityOptions.SectionName}:SessionMinutes must be between 1 and {60 * 24 * 30}.");
        }
        if (options.SignInAttemptsPerMinute is < 0 or > 100_000)
        {
            failures.Add($"{SecurityOptions.SectionName}:SignInAttemptsPerMinute must be between 0 (no limit) and 100000.");
        }
        foreach (var (user, settings) in options.Users)
        {
            var at = $"{SecurityOptions.SectionName}:Users:{user}";
            if (PasswordHashing.Problem(settings.PasswordHash) is { } problem)
            {
                failures.Add($"{at}:PasswordHash {problem}.");
            }
            CheckPermissions(at, settings.Permissions, failures);
            CheckGroups(at, settings.Groups, failures);
        }
        var identities = new HashSet<string>(options.Users.Keys, StringComparer.Ordinal);
        foreach (var (key, settings) in options.ApiKeys)
        {
            var at = $"{SecurityOptions.SectionName}:ApiKeys:{key}";
            if (ApiKeyHashing.Problem(settings.Hash) is { } problem)
            {
                failures.Add($"{at}:Hash {problem}.");
            }
            CheckPermissions(at, settings.Permissions, failures);
            CheckGroups(at, settings.Groups, failures);
        }
        var hashes = options.ApiKeys.Where(k => k.Value.Hash is not null).GroupBy(k => k.Value.Hash!, StringComparer.Ordinal).Where(g => g.Count() > 1);
        foreach (var duplicate in hashes)
        {
            failures.Add($"{SecurityOptions.SectionName}:ApiKeys: {string.Join(" and ", duplicate.Select(k => k.Key))} have the same hash; give each its own key.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckPermissions(string at, List<string> permissions, List<string> failures)
    {
        for (var i = 0; i < permissions.Count; i++)
        {
            if (!Permissions.IsKnown(permissions[i]?.Trim() ?? ""))
            {
                failures.Add($"{at}:Permissions:{i} is '{permissions[i]}'; use {string.Join(", ", Permissions.All)} or *.");
            }
        }
    }

    private static void CheckGroups(string at, List<string> groups, List<string> failures)
    {
        for (var i = 0; i < groups.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(groups[i]) || groups[i].Contains(',', StringComparison.Ordinal))
            {
                failures.Add($"{at}:Groups:{i} must be a group name (not empty, no comma).");
            }
        }
    }
}
