namespace Workflows;

/// <summary>The wire names of run items: the SSE <c>event:</c> field and the persisted type column.</summary>
public static class RunItemTypes
{
#pragma warning disable CS1591 // the names say it
    public const string RunStarted = "run.started";
    public const string StepStarted = "step.started";
    public const string StepCompleted = "step.completed";
    public const string StepFailed = "step.failed";
    public const string StepRetrying = "step.retrying";
    public const string StepSkipped = "step.skipped";
    public const string StepCanceled = "step.canceled";
    public const string EventEmitted = "event.emitted";
    public const string Stream = "stream";
    public const string TaskCreated = "task.created";
    public const string TaskCompleted = "task.completed";
    public const string TaskCanceled = "task.canceled";
    public const string TaskEscalated = "task.escalated";
    public const string RunWaiting = "run.waiting";
    public const string RunCompleted = "run.completed";
    public const string RunFailed = "run.failed";
    public const string RunCanceled = "run.canceled";
    public const string RunTimedOut = "run.timed_out";
#pragma warning restore CS1591
}
