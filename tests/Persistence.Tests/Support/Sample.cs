using System.Text.Json.Nodes;

namespace Workflows.Persistence.Tests.Support;

/// <summary>Rows to store: every field set unless a test says otherwise, timestamps on whole microseconds.</summary>
public static class Sample
{
    public static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static string Id(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    public static RunRecord Run(string id, RunStatus status = RunStatus.Running, DateTimeOffset? createdAt = null, string workflow = "order", long lastSequence = 0) => new()
    {
        Id = id,
        Workflow = workflow,
        Version = "1.2.0",
        Status = status,
        InputJson = """{"amount":1200,"region":"EU"}""",
        CreatedAt = createdAt ?? T0,
        UpdatedAt = (createdAt ?? T0).AddSeconds(1),
        LastSequence = lastSequence,
    };

    public static StoredItem Item(string runId, long sequence, string? json = null, string type = "step.completed") =>
        new(runId, sequence, type, T0.AddMilliseconds(sequence), json ?? $$$"""{"sequence":{{{sequence}}},"type":"{{{type}}}","data":{"step":"process"}}""");

    public static IReadOnlyList<StoredItem> Items(string runId, long from, long to) =>
        Enumerable.Range((int)from, (int)(to - from + 1)).Select(s => Item(runId, s)).ToArray();

    public static HumanTask Task(string id, string runId, HumanTaskStatus status = HumanTaskStatus.Pending, DateTimeOffset? createdAt = null) => new()
    {
        Id = id,
        RunId = runId,
        Workflow = "order",
        Step = "approve",
        Title = "Approve the order",
        FormSchema = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject { ["approved"] = new JsonObject { ["type"] = "boolean" } },
            ["required"] = new JsonArray("approved"),
        },
        Status = status,
        CreatedAt = createdAt ?? T0,
    };

    /// <summary>The first commit of a run: its row, its first items, a state.</summary>
    public static RunCommit Start(string runId, int items = 2, RunStatus status = RunStatus.Running, DateTimeOffset? createdAt = null) => new(runId)
    {
        Run = Run(runId, status, createdAt, lastSequence: items),
        Items = Items(runId, 1, items),
        StateJson = """{"sequence":1,"queued":[]}""",
    };
}
