namespace Workflows.Runtime.Ticks;

/// <summary>
/// An input to a run's loop. Workers, timers and callers never touch run state: they post ticks, and the
/// loop applies them one at a time, in order. (The names follow run-llama/workflows-py's control loop.)
/// </summary>
internal abstract record Tick;

/// <summary>An event to route: sent by a step (<paramref name="Source"/>) or posted from outside (null).</summary>
internal sealed record EventPosted(Event Event, StepInvocation? Source, string? TargetStep) : Tick;

/// <summary>An attempt returned <paramref name="Result"/> (an event, null, or a non-event mistake).</summary>
internal sealed record StepReturned(StepInvocation Invocation, object? Result) : Tick;

/// <summary>An attempt threw.</summary>
internal sealed record StepThrew(StepInvocation Invocation, Exception Error) : Tick;

/// <summary>The backoff before <paramref name="Invocation"/>'s attempt has elapsed.</summary>
internal sealed record RetryDue(StepInvocation Invocation) : Tick;

/// <summary>A step wrote to the run's stream.</summary>
internal sealed record StreamWrite(StepInvocation Invocation, object? Data) : Tick;

/// <summary>Someone asked the run to stop.</summary>
internal sealed record CancelRequested(string? Reason) : Tick;

/// <summary>The run's timeout expired.</summary>
internal sealed record TimeoutElapsed : Tick
{
    public static TimeoutElapsed Instance { get; } = new();
}

/// <summary>A person completed a task; <paramref name="Acknowledged"/> completes once the run has resumed.</summary>
internal sealed record TaskAnswered(string TaskId, System.Text.Json.Nodes.JsonObject Data, string CompletedBy, TaskCompletionSource<TaskCompletionResult>? Acknowledged) : Tick;

/// <summary>A person withdrew a task.</summary>
internal sealed record TaskWithdrawn(string TaskId, string Reason, TaskCompletionSource<HumanTask> Acknowledged) : Tick;

/// <summary>A task's deadline passed.</summary>
internal sealed record TaskDeadlinePassed(string TaskId) : Tick;

/// <summary>The run's last commit is durable; the loop may hand over the next one.</summary>
internal sealed record CommitDone : Tick
{
    public static CommitDone Instance { get; } = new();
}

/// <summary>An event posted from outside; <paramref name="Acknowledged"/> completes once it is recorded (committed, when durable).</summary>
internal sealed record ExternalEventPosted(Event Event, string? TargetStep, TaskCompletionSource Acknowledged) : Tick;
