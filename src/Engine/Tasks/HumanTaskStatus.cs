using System.Text.Json.Serialization;

namespace Workflows;

/// <summary>Where a human task stands.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<HumanTaskStatus>))]
public enum HumanTaskStatus
{
    /// <summary>Waiting for a person.</summary>
    [JsonStringEnumMemberName("pending")] Pending,

    /// <summary>Answered; the branch went on.</summary>
    [JsonStringEnumMemberName("completed")] Completed,

    /// <summary>Withdrawn, or its run ended first.</summary>
    [JsonStringEnumMemberName("canceled")] Canceled,
}
