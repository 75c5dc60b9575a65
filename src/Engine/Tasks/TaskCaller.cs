namespace Workflows;

/// <summary>Who is acting on a task: a user and the groups they belong to (the server fills it from authentication).</summary>
/// <param name="User">The user's name.</param>
/// <param name="Groups">The user's groups.</param>
public sealed record TaskCaller(string User, IReadOnlyList<string> Groups)
{
    /// <summary>A caller in no group.</summary>
    public TaskCaller(string user) : this(user, [])
    {
    }
}
