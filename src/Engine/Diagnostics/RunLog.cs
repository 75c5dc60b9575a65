using Microsoft.Extensions.Logging;

namespace Workflows.Diagnostics;

/// <summary>The runtime's log messages, compiled once by the logging source generator.</summary>
internal static partial class RunLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Running step {Step}")]
    public static partial void RunningStep(ILogger logger, string step);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Step {Step} produced event {EventType}")]
    public static partial void StepProducedEvent(ILogger logger, string step, string eventType);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Step {Step} produced no event")]
    public static partial void StepProducedNoEvent(ILogger logger, string step);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Step {Step} attempt {Attempt} failed; retrying in {DelayMs} ms")]
    public static partial void StepRetrying(ILogger logger, Exception error, string step, int attempt, double delayMs);

    [LoggerMessage(EventId = 5, Level = LogLevel.Debug, Message = "Run {RunId} of {Workflow} ended as {Status}")]
    public static partial void RunEnded(ILogger logger, string runId, string workflow, string status);

    [LoggerMessage(EventId = 6, Level = LogLevel.Error, Message = "Run {RunId} of {Workflow} failed in step {Step}")]
    public static partial void RunFailed(ILogger logger, Exception? error, string runId, string workflow, string? step);
}
