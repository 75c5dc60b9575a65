using System.Text.Json.Serialization;

namespace Workflows;

/// <summary>
/// One entry of a run's item stream: what the server sends over SSE and persists. Sequence numbers start at 1
/// and increase by one per item, per run; the stream ends with exactly one <see cref="RunEnded"/> item. The
/// runtime stamps sequence, timestamp and run id when it appends the item.
/// </summary>
public abstract record RunItem
{
    /// <summary>Position in the run's stream, from 1, without gaps.</summary>
    [JsonInclude]
    public long Sequence { get; internal set; }

    /// <summary>When the runtime recorded the item.</summary>
    [JsonInclude]
    public DateTimeOffset Timestamp { get; internal set; }

    /// <summary>The run.</summary>
    [JsonInclude]
    public string RunId { get; internal set; } = "";

    /// <summary>The wire name, one of <see cref="RunItemTypes"/>.</summary>
    [JsonIgnore]
    public abstract string Type { get; }
}

/// <summary>The run began with this input.</summary>
public sealed record RunStarted(string Workflow, string Version, System.Text.Json.Nodes.JsonObject Input, Event StartEvent) : RunItem
{
    /// <inheritdoc/>
    public override string Type => RunItemTypes.RunStarted;
}

/// <summary>Base of the items that concern one invocation of one step.</summary>
/// <param name="Step">The step's name.</param>
/// <param name="Worker">The worker slot the invocation occupies (0 .. NumWorkers-1).</param>
/// <param name="Attempt">1 for the first attempt.</param>
public abstract record StepItem(string Step, int Worker, int Attempt) : RunItem
{
    /// <summary>For a group member or callback, the group's name.</summary>
    [JsonInclude]
    public string? Group { get; internal set; }
}

/// <summary>An attempt of a step began, with the type of the event that triggered it (null for graph steps).</summary>
public sealed record StepStarted(string Step, int Worker, int Attempt, string? EventType) : StepItem(Step, Worker, Attempt)
{
    /// <inheritdoc/>
    public override string Type => RunItemTypes.StepStarted;
}

/// <summary>An attempt of a step returned.</summary>
public sealed record StepCompleted(string Step, int Worker, int Attempt) : StepItem(Step, Worker, Attempt)
{
    /// <inheritdoc/>
    public override string Type => RunItemTypes.StepCompleted;
}

/// <summary>An attempt failed and will be tried again after <paramref name="DelayMs"/>.</summary>
public sealed record StepRetrying(string Step, int Worker, int Attempt, RunError Error, double DelayMs) : StepItem(Step, Worker, Attempt)
{
    /// <inheritdoc/>
    public override string Type => RunItemTypes.StepRetrying;
}

/// <summary>An attempt failed and will not be retried.</summary>
public sealed record StepFailed(string Step, int Worker, int Attempt, RunError Error) : StepItem(Step, Worker, Attempt)
{
    /// <inheritdoc/>
    public override string Type => RunItemTypes.StepFailed;
}

/// <summary>A graph step's guard (<c>CanExecute</c>) declined; the flow continued past it.</summary>
public sealed record StepSkipped(string Step, int Worker, int Attempt) : StepItem(Step, Worker, Attempt)
{
    /// <inheritdoc/>
    public override string Type => RunItemTypes.StepSkipped;
}

/// <summary>An attempt was cancelled before it finished: it lost a race, or the run ended around it.</summary>
public sealed record StepCanceled(string Step, int Worker, int Attempt, string Reason) : StepItem(Step, Worker, Attempt)
{
    /// <inheritdoc/>
    public override string Type => RunItemTypes.StepCanceled;
}

/// <summary>An event was produced (returned or sent by <paramref name="Step"/>, or posted from outside when null).</summary>
public sealed record EventEmitted(string? Step, string EventType, Event Event, string? TargetStep) : RunItem
{
    /// <inheritdoc/>
    public override string Type => RunItemTypes.EventEmitted;
}

/// <summary>What a step wrote with <see cref="IStepContext.WriteEventToStream"/>.</summary>
public sealed record StreamWritten(string Step, object? Data) : RunItem
{
    /// <inheritdoc/>
    public override string Type => RunItemTypes.Stream;
}

/// <summary>A step asked a person: a task was created (the step waits; other branches go on).</summary>
public sealed record TaskCreated(string TaskId, string Step, string Title, string? Assignee, string? Group, DateTimeOffset? DueAt) : RunItem
{
    /// <inheritdoc/>
    public override string Type => RunItemTypes.TaskCreated;

    /// <summary>For a human step inside a group, the group's name.</summary>
    [JsonInclude]
    public string? StepGroup { get; internal set; }
}

/// <summary>A task was completed with valid data; its branch resumes.</summary>
public sealed record TaskCompleted(string TaskId, string Step, string CompletedBy, System.Text.Json.Nodes.JsonObject Data) : RunItem
{
    /// <inheritdoc/>
    public override string Type => RunItemTypes.TaskCompleted;
}

/// <summary>A task was withdrawn, or closed because its run ended.</summary>
public sealed record TaskCanceled(string TaskId, string Step, string Reason) : RunItem
{
    /// <inheritdoc/>
    public override string Type => RunItemTypes.TaskCanceled;
}

/// <summary>A task passed its deadline and was handed to <paramref name="Group"/>.</summary>
public sealed record TaskEscalated(string TaskId, string Step, string Group) : RunItem
{
    /// <inheritdoc/>
    public override string Type => RunItemTypes.TaskEscalated;
}

/// <summary>Nothing runs: the run waits for the listed tasks.</summary>
public sealed record RunWaiting(IReadOnlyList<string> OpenTasks) : RunItem
{
    /// <inheritdoc/>
    public override string Type => RunItemTypes.RunWaiting;
}

/// <summary>The last item of every run.</summary>
public abstract record RunEnded(RunStatus Status) : RunItem;

/// <summary>A StopEvent ended the run.</summary>
public sealed record RunCompleted(object? Result) : RunEnded(RunStatus.Completed)
{
    /// <inheritdoc/>
    public override string Type => RunItemTypes.RunCompleted;
}

/// <summary>The run failed.</summary>
public sealed record RunFailed(RunError Error) : RunEnded(RunStatus.Failed)
{
    /// <inheritdoc/>
    public override string Type => RunItemTypes.RunFailed;
}

/// <summary>The run was cancelled.</summary>
public sealed record RunCanceled(string? Reason) : RunEnded(RunStatus.Canceled)
{
    /// <inheritdoc/>
    public override string Type => RunItemTypes.RunCanceled;
}

/// <summary>The run's timeout expired while <paramref name="ActiveSteps"/> were still running.</summary>
public sealed record RunTimedOut(IReadOnlyList<string> ActiveSteps, RunError Error) : RunEnded(RunStatus.TimedOut)
{
    /// <inheritdoc/>
    public override string Type => RunItemTypes.RunTimedOut;
}
