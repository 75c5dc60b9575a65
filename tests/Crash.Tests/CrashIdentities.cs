using System.Security.Cryptography;
using System.Text;

namespace Workflows.Crash.Tests;

/// <summary>
/// The API keys the crash test gives the server (as hashes, in environment variables, the way a deployment would)
/// and sends (X-Api-Key): one for the test itself, acting as <c>crash-tester</c> in every approval group with every
/// permission, and one per manager the workload assigns expense tasks to, since a task's assignee must be the caller.
/// </summary>
internal static class CrashIdentities
{
    public const string Header = "X-Api-Key";

    /// <summary>The key of the test's own requests: starts, reads, and the group tasks' answers.</summary>
    public static string ServiceKey { get; } = NewKey();

    private static readonly Dictionary<string, string> s_managerKeys = Enumerable.Range(0, 4).ToDictionary(i => $"manager{i}", _ => NewKey());

    /// <summary>The key acting as <paramref name="user"/> (a manager), else <see cref="ServiceKey"/>.</summary>
    public static string KeyFor(string user) => s_managerKeys.GetValueOrDefault(user, ServiceKey);

    /// <summary>Configures the server's keys (<c>Workflows:Security:ApiKeys</c>) in its environment.</summary>
    public static void Configure(IDictionary<string, string?> environment)
    {
        const string keys = "Workflows__Security__ApiKeys__";
        environment["Workflows__Security__Mode"] = "Enforced";
        environment[keys + "crash__Hash"] = Hash(ServiceKey);
        environment[keys + "crash__User"] = RunSpec.Caller(null, null).User;
        environment[keys + "crash__Permissions__0"] = "*";
        string[] groups = ["legal", "finance", "security"];
        for (var i = 0; i < groups.Length; i++)
        {
            environment[$"{keys}crash__Groups__{i}"] = groups[i];
        }
        foreach (var (manager, key) in s_managerKeys)
        {
            environment[$"{keys}{manager}__Hash"] = Hash(key);
            environment[$"{keys}{manager}__Permissions__0"] = "tasks:complete";
            environment[$"{keys}{manager}__Permissions__1"] = "runs:read";
        }
        // About 100 starts a second from one key: far above the default limit, which is not what this test is about.
        environment["Workflows__Server__RunStartsPerSecond"] = "100000";
        environment["Workflows__Server__RunStartBurst"] = "100000";
    }

    private static string NewKey() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    private static string Hash(string key) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
