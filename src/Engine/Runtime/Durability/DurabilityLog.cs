using Microsoft.Extensions.Logging;

namespace Workflows.Runtime.Durability;

/// <summary>Log messages of the durable path.</summary>
internal static partial class DurabilityLog
{
    [LoggerMessage(EventId = 20, Level = LogLevel.Error, Message = "Committing {Count} run changes failed (attempt {Attempt}); retrying in {PauseMs} ms")]
    public static partial void CommitFailed(ILogger logger, Exception error, int count, int attempt, double pauseMs);

    [LoggerMessage(EventId = 21, Level = LogLevel.Error, Message = "Publishing a committed run change failed")]
    public static partial void AfterCommitFailed(ILogger logger, Exception error);

    [LoggerMessage(EventId = 22, Level = LogLevel.Information, Message = "Resumed run {RunId} of {Workflow} {Version}: {InFlight} step(s) to run again, {Queued} queued, {Tasks} open task(s)")]
    public static partial void RunResumed(ILogger logger, string runId, string workflow, string version, int inFlight, int queued, int tasks);

    [LoggerMessage(EventId = 23, Level = LogLevel.Warning, Message = "Run {RunId} cannot resume: {Reason}")]
    public static partial void RunNotResumable(ILogger logger, string runId, string reason);
}
