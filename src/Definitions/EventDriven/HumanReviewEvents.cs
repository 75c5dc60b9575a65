namespace Workflows.Definitions.EventDriven;

/// <summary>Input of <c>human_review</c>.</summary>
public sealed record HumanReviewStartEvent : StartEvent
{
    /// <summary>The document to review (required): its name or its text.</summary>
    public string? Document { get; init; }
}

/// <summary>The result of <c>human_review</c>: the reviewer's decision, <c>{approved, comment}</c>.</summary>
/// <param name="Approved">Whether the reviewer approved the document.</param>
/// <param name="Comment">What the reviewer wrote, or null.</param>
public sealed record HumanReviewResult(bool Approved, string? Comment);
