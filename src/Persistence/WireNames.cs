namespace Workflows.Persistence.EntityFramework;

/// <summary>
/// The status names stored in the database: the engine's wire names (<c>timed_out</c>), names we choose, never enum
/// numbers, so reordering an enum cannot change what stored rows mean.
/// </summary>
internal static class WireNames
{
    public static string Of(RunStatus status) => status switch
    {
        RunStatus.Pending => "pending",
        RunStatus.Running => "running",
        RunStatus.Waiting => "waiting",
        RunStatus.Completed => "completed",
        RunStatus.Failed => "failed",
        RunStatus.Canceled => "canceled",
        RunStatus.TimedOut => "timed_out",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "A run status this store does not know."),
    };

    public static RunStatus ParseRunStatus(string name) => name switch
    {
        "pending" => RunStatus.Pending,
        "running" => RunStatus.Running,
        "waiting" => RunStatus.Waiting,
        "completed" => RunStatus.Completed,
        "failed" => RunStatus.Failed,
        "canceled" => RunStatus.Canceled,
        "timed_out" => RunStatus.TimedOut,
        _ => throw new InvalidDataException($"The stored run status '{name}' is not known to this build."),
    };

    public static string Of(HumanTaskStatus status) => status switch
    {
        HumanTaskStatus.Pending => "pending",
        HumanTaskStatus.Completed => "completed",
        HumanTaskStatus.Canceled => "canceled",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "A task status this store does not know."),
    };

    public static HumanTaskStatus ParseTaskStatus(string name) => name switch
    {
        "pending" => HumanTaskStatus.Pending,
        "completed" => HumanTaskStatus.Completed,
        "canceled" => HumanTaskStatus.Canceled,
        _ => throw new InvalidDataException($"The stored task status '{name}' is not known to this build."),
    };
}
