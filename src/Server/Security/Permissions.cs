namespace Workflows.Server.Security;

/// <summary>
/// What a user or an API key may do. Each permission is also the name of the authorization policy that the routes
/// needing it require.
/// </summary>
public static class Permissions
{
    /// <summary>Start runs and post external events into them.</summary>
    public const string RunsStart = "runs:start";

    /// <summary>Cancel runs.</summary>
    public const string RunsCancel = "runs:cancel";

    /// <summary>Read workflows, runs, their streams and drawings, and tasks.</summary>
    public const string RunsRead = "runs:read";

    /// <summary>Complete human tasks (the engine still checks the task's assignee or group).</summary>
    public const string TasksComplete = "tasks:complete";

    /// <summary>In configuration: every permission.</summary>
    public const string Everything = "*";

    /// <summary>Every permission, in the order the documentation lists them.</summary>
    public static IReadOnlyList<string> All { get; } = [RunsStart, RunsCancel, RunsRead, TasksComplete];

    /// <summary>Whether <paramref name="permission"/> may appear in configuration.</summary>
    public static bool IsKnown(string permission) => permission == Everything || All.Contains(permission, StringComparer.Ordinal);

    /// <summary>The configured permissions with <c>*</c> expanded, without duplicates, in <see cref="All"/>'s order.</summary>
    public static string[] Expand(IEnumerable<string> configured)
    {
        var set = configured.Select(p => p.Trim()).ToHashSet(StringComparer.Ordinal);
        return set.Contains(Everything) ? [.. All] : All.Where(set.Contains).ToArray();
    }
}
