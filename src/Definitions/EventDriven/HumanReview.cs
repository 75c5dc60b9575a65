using System.Text.Json.Nodes;

namespace Workflows.Definitions.EventDriven;

/// <summary>
/// <c>human_review</c>: <c>request_review</c> asks a person to review the input's <c>document</c> by returning an
/// <see cref="InputRequiredEvent"/> (the runtime opens a task with <see cref="FormSchema"/> and the run waits);
/// completing the task produces the <see cref="HumanResponseEvent"/> that <c>decide</c> turns into the result
/// <c>{approved, comment}</c>.
/// </summary>
/// <remarks>
/// The task names no assignee and no group, so anyone may complete it. The task's title names the document (cut
/// to <see cref="MaxTitleDocumentLength"/> characters); its description holds the whole document. A run without a
/// <c>document</c> fails at once, before any task is opened.
/// </remarks>
public sealed class HumanReview : Workflow
{
    /// <summary>How much of the document the task's title quotes.</summary>
    public const int MaxTitleDocumentLength = 80;

    /// <inheritdoc/>
    public override string Name => "human_review";

    /// <inheritdoc/>
    public override string? Description =>
        "Human in the loop: a step asks a reviewer to approve the document (InputRequiredEvent); the answer (HumanResponseEvent) decides the stop.";

    /// <summary>
    /// The review form, a new instance on every call (a <see cref="JsonObject"/> is mutable):
    /// <c>{type: object, required: [approved], properties: {approved: boolean, comment: string}}</c>.
    /// </summary>
    public static JsonObject FormSchema() => new()
    {
        ["type"] = "object",
        ["required"] = new JsonArray("approved"),
        ["properties"] = new JsonObject
        {
            ["approved"] = new JsonObject { ["type"] = "boolean", ["description"] = "Approve the document?" },
            ["comment"] = new JsonObject { ["type"] = "string", ["description"] = "Why, or what to change." },
        },
    };

    /// <summary>Asks a person to review the document: the run waits for the task to be completed.</summary>
    [Step]
    public InputRequiredEvent RequestReview(HumanReviewStartEvent ev)
    {
        var document = string.IsNullOrWhiteSpace(ev.Document)
            ? throw new ArgumentException("human_review needs a 'document' to review.")
            : ev.Document;
        return new InputRequiredEvent($"Review the document: {Shorten(document)}", FormSchema())
        {
            Description = document,
        };
    }

    /// <summary>The reviewer's answer ends the run with their decision.</summary>
    [Step]
    public StopEvent Decide(HumanResponseEvent ev) =>
        new(new HumanReviewResult(ev.Get<bool>("approved"), ev.Get<string>("comment")));

    private static string Shorten(string document)
    {
        var oneLine = string.Join(' ', document.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return oneLine.Length <= MaxTitleDocumentLength ? oneLine : oneLine[..(MaxTitleDocumentLength - 1)] + "…";
    }
}
