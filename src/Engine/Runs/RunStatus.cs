using System.Text.Json;
using System.Text.Json.Serialization;

namespace Workflows;

/// <summary>
/// A run's lifecycle: <c>pending → running ⇄ waiting → completed | failed | canceled | timed_out</c>.
/// On the wire the names are snake_case.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<RunStatus>))]
public enum RunStatus
{
    /// <summary>Created, not yet started.</summary>
    [JsonStringEnumMemberName("pending")] Pending,

    /// <summary>Steps are running or events are queued.</summary>
    [JsonStringEnumMemberName("running")] Running,

    /// <summary>Nothing runs; the run waits for input from outside.</summary>
    [JsonStringEnumMemberName("waiting")] Waiting,

    /// <summary>A StopEvent ended it.</summary>
    [JsonStringEnumMemberName("completed")] Completed,

    /// <summary>A step failed (after its retries), or the run stopped without a StopEvent.</summary>
    [JsonStringEnumMemberName("failed")] Failed,

    /// <summary>Cancelled from outside.</summary>
    [JsonStringEnumMemberName("canceled")] Canceled,

    /// <summary>The run's timeout expired.</summary>
    [JsonStringEnumMemberName("timed_out")] TimedOut,
}

/// <summary>Helpers over <see cref="RunStatus"/>.</summary>
public static class RunStatusExtensions
{
    /// <summary>True for the four endings.</summary>
    public static bool IsTerminal(this RunStatus status) => status >= RunStatus.Completed;

    /// <summary>The wire name (<c>timed_out</c>).</summary>
    public static string ToWireName(this RunStatus status) =>
        (uint)status < (uint)s_wireNames.Length ? s_wireNames[(int)status] : JsonSerializer.Serialize(status).Trim('"');

    // The serializer's names, computed once: a run's end logs its status even when the logger drops it.
    private static readonly string[] s_wireNames = Enum.GetValues<RunStatus>().Select(s => JsonSerializer.Serialize(s).Trim('"')).ToArray();
}
