using System.Security.Cryptography;
using System.Text;

namespace Workflows.Crash.Tests;

/// <summary>
/// The API keys the server process is given (CONTRACT.md, <c>Workflows:Security</c> in Enforced mode, through
/// environment variables) and the harness sends as <c>X-Api-Key</c>: <c>harness</c> with every permission and the
/// groups of the catalogue's group tasks (legal, finance, security: parallel_approvals), and one key per manager
/// named by expense_approval runs (its task is assigned to the context's <c>manager</c>, so only that user may
/// complete it). human_review's task names nobody, so the harness key completes it. Fresh keys every test run.
/// </summary>
internal sealed class HarnessKeys
{
    /// <summary>The groups the catalogue's human steps name.</summary>
    public static readonly string[] Groups = ["legal", "finance", "security"];

    private readonly Dictionary<string, string> _byUser = new(StringComparer.Ordinal);

    public HarnessKeys(IEnumerable<string> managers)
    {
        Harness = NewKey("harness");
        foreach (var manager in managers)
        {
            _byUser[manager] = NewKey(manager);
        }
    }

    /// <summary>The key every request carries unless a task needs another identity.</summary>
    public string Harness { get; }

    /// <summary>The key acting as <paramref name="assignee"/>, or the harness key (whose groups cover every group task).</summary>
    public string For(string? assignee) =>
        assignee is not null && _byUser.TryGetValue(assignee, out var key) ? key : Harness;

    /// <summary>The server's environment: security enforced, every key hashed.</summary>
    public Dictionary<string, string> Environment()
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Workflows__Security__Mode"] = "Enforced",
            // The harness measures durability, not throttling: no rate limit of starts per key (0 turns it off).
            ["Workflows__Server__RunStartsPerSecond"] = "0",
        };
        Add(environment, "harness", Harness, user: null, Groups);
        foreach (var (user, key) in _byUser)
        {
            Add(environment, user, key, user, []);
        }
        return environment;
    }

    private static void Add(Dictionary<string, string> environment, string name, string key, string? user, string[] groups)
    {
        var prefix = $"Workflows__Security__ApiKeys__{name}__";
        environment[prefix + "Hash"] = $"sha256:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))}";
        environment[prefix + "Permissions__0"] = "*";
        if (user is not null)
        {
            environment[prefix + "User"] = user;
        }
        for (var i = 0; i < groups.Length; i++)
        {
            environment[prefix + $"Groups__{i}"] = groups[i];
        }
    }

    private static string NewKey(string name) => $"{name}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))}";
}
