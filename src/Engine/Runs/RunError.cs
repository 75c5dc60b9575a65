using System.Text.Json.Serialization;

namespace Workflows;

/// <summary>Why a run did not complete: the step concerned (if any), a stable error type and a message for people.</summary>
/// <param name="Step">The failing step, or null for run-level errors.</param>
/// <param name="Type">A stable classification: the exception's type name, or <c>timeout</c>, <c>canceled</c>, <c>no_stop_event</c>.</param>
/// <param name="Message">What happened.</param>
public sealed record RunError(string? Step, string Type, string Message)
{
    /// <summary>The exception behind the error, when there is one (never serialised).</summary>
    [JsonIgnore]
    public Exception? Exception { get; init; }

    internal static RunError FromException(string step, Exception exception) =>
        new(step, exception.GetType().Name, exception.Message) { Exception = exception };
}
