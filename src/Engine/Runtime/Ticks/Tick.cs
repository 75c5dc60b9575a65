namespace Workflows.Runtime.Ticks;

/// <summary>
/// An input to a run's loop. Workers, timers and callers never touch run state: they post ticks, and the
/// loop applies them one at a time, in order. (The names follow run-llama/workflows-py's control loop.)
/// </summary>
/// <remarks>
/// Ticks are classes with a link of their own (<see cref="Next"/>): the loop's inbox chains them, so posting
/// allocates nothing beyond the tick. A tick object is posted at most once; a step's result is its
/// <see cref="StepInvocation"/> itself.
/// </remarks>
internal abstract class Tick
{
    /// <summary>The link of the chain the tick waits in: the loop's inbox, or a cheap step's held sends.</summary>
    internal Tick? Next;

    /// <summary>Turns a chain built newest first (by pushing on its head) into oldest first; returns the new head.</summary>
    public static Tick? Reverse(Tick? newestFirst)
    {
        Tick? oldestFirst = null;
        while (newestFirst is not null)
        {
            var next = newestFirst.Next;
            newestFirst.Next = oldestFirst;
            oldestFirst = newestFirst;
            newestFirst = next;
        }
        return oldestFirst;
    }
}

/// <summary>An event to route: sent by a step (<paramref name="source"/>) or posted from outside (null).</summary>
internal sealed class EventPosted(Event ev, StepInvocation? source, string? targetStep) : Tick
{
    public Event Event { get; } = ev;

    public StepInvocation? Source { get; } = source;

    public string? TargetStep { get; } = targetStep;
}

/// <summary>The backoff before <paramref name="invocation"/>'s attempt has elapsed.</summary>
internal sealed class RetryDue(StepInvocation invocation) : Tick
{
    public StepInvocation Invocation { get; } = invocation;
}

/// <summary>A step wrote to the run's stream.</summary>
internal sealed class StreamWrite(StepInvocation invocation, object? data) : Tick
{
    public StepInvocation Invocation { get; } = invocation;

    public object? Data { get; } = data;
}

/// <summary>Someone asked the run to stop.</summary>
internal sealed class CancelRequested(string? reason) : Tick
{
    public string? Reason { get; } = reason;
}

/// <summary>The run's timeout expired (a new object per post: a tick is posted at most once).</summary>
internal sealed class TimeoutElapsed : Tick;

/// <summary>A person completed a task; <paramref name="acknowledged"/> completes once the run has resumed.</summary>
internal sealed class TaskAnswered(string taskId, System.Text.Json.Nodes.JsonObject data, string completedBy, TaskCompletionSource<TaskCompletionResult>? acknowledged) : Tick
{
    public string TaskId { get; } = taskId;

    public System.Text.Json.Nodes.JsonObject Data { get; } = data;

    public string CompletedBy { get; } = completedBy;

    public TaskCompletionSource<TaskCompletionResult>? Acknowledged { get; } = acknowledged;
}

/// <summary>A person withdrew a task.</summary>
internal sealed class TaskWithdrawn(string taskId, string reason, TaskCompletionSource<HumanTask> acknowledged) : Tick
{
    public string TaskId { get; } = taskId;

    public string Reason { get; } = reason;

    public TaskCompletionSource<HumanTask> Acknowledged { get; } = acknowledged;
}

/// <summary>A task's deadline passed.</summary>
internal sealed class TaskDeadlinePassed(string taskId) : Tick
{
    public string TaskId { get; } = taskId;
}

/// <summary>The run's last commit is durable; the loop may hand over the next one (a new object per post).</summary>
internal sealed class CommitDone : Tick;

/// <summary>An event posted from outside; <paramref name="acknowledged"/> completes once it is recorded (committed, when durable).</summary>
internal sealed class ExternalEventPosted(Event ev, string? targetStep, TaskCompletionSource acknowledged) : Tick
{
    public Event Event { get; } = ev;

    public string? TargetStep { get; } = targetStep;

    public TaskCompletionSource Acknowledged { get; } = acknowledged;
}
