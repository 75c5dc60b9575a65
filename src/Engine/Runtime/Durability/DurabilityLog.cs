using Microsoft.Extensions.Logging;

namespace Workflows.Runtime.Durability;

/// <summary>Log messages of the durable path.</summary>
internal static partial class DurabilityLog
{
    [LoggerMessage(EventId = 20, Level = LogLevel.Error, Message = "The store refused {Count} changes of {Runs} run(s)")]
    public static partial void CommitFailed(ILogger logger, Exception error, int count, int runs);

    [LoggerMessage(EventId = 24, Level = LogLevel.Error, Message = "Changes of {Runs} run(s) (the first: {RunId}) held after attempt {Attempt}, retried in {PauseMs} ms; these runs wait, the others go on")]
    public static partial void CommitHeld(ILogger logger, int runs, string runId, int attempt, double pauseMs);

    [LoggerMessage(EventId = 25, Level = LogLevel.Warning, Message = "Changes of {Runs} run(s) not committed at shutdown; they resume from what was committed on the next start")]
    public static partial void NotCommittedAtShutdown(ILogger logger, int runs);

    [LoggerMessage(EventId = 21, Level = LogLevel.Error, Message = "Publishing a committed run change failed")]
    public static partial void AfterCommitFailed(ILogger logger, Exception error);

    [LoggerMessage(EventId = 22, Level = LogLevel.Information, Message = "Resumed run {RunId} of {Workflow} {Version}: {InFlight} step(s) to run again, {Queued} queued, {Tasks} open task(s)")]
    public static partial void RunResumed(ILogger logger, string runId, string workflow, string version, int inFlight, int queued, int tasks);

    [LoggerMessage(EventId = 23, Level = LogLevel.Warning, Message = "Run {RunId} cannot resume: {Reason}")]
    public static partial void RunNotResumable(ILogger logger, string runId, string reason);
}
