namespace Workflows;

/// <summary>No task has that id.</summary>
public sealed class TaskNotFoundException(string taskId) : KeyNotFoundException($"No task has id '{taskId}'.")
{
    /// <summary>The id asked for.</summary>
    public string TaskId { get; } = taskId;
}

/// <summary>The task cannot change that way now: already completed or canceled, or its run has ended.</summary>
public sealed class TaskConflictException(string taskId, string message) : InvalidOperationException(message)
{
    /// <summary>The task.</summary>
    public string TaskId { get; } = taskId;
}

/// <summary>The caller is neither the task's assignee nor a member of its group.</summary>
public sealed class TaskForbiddenException(string taskId, string message) : UnauthorizedAccessException(message)
{
    /// <summary>The task.</summary>
    public string TaskId { get; } = taskId;
}

/// <summary>The submitted data violates the task's form; <see cref="Errors"/> lists every violation. Nothing was stored.</summary>
public sealed class FormValidationException(string taskId, IReadOnlyList<FieldError> errors)
    : ArgumentException($"The data for task '{taskId}' is invalid: {string.Join("; ", errors.Select(e => $"{(e.Pointer.Length == 0 ? "/" : e.Pointer)} {e.Message}"))}")
{
    /// <summary>The task.</summary>
    public string TaskId { get; } = taskId;

    /// <summary>Every violation, keyed by JSON pointer.</summary>
    public IReadOnlyList<FieldError> Errors { get; } = errors;
}
