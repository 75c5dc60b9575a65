using System.Text.Json.Nodes;

namespace Workflows.Crash.Tests;

/// <summary>One run of the crash test: what to start, and how each of its tasks is answered.</summary>
/// <param name="Index">Its position in the workload (0-based).</param>
/// <param name="Workflow">The catalogue workflow.</param>
/// <param name="Input">The run's input.</param>
/// <param name="CorrelationId">Makes the start idempotent: a start whose answer the kill swallowed is sent again and
/// answered 409 with the run it created, if it did.</param>
internal sealed record RunSpec(int Index, string Workflow, JsonObject Input, string CorrelationId)
{
    /// <summary>The form data for this run's task of <paramref name="step"/>: fixed, so that every answer is the same on
    /// the server and in memory.</summary>
    public JsonObject Answer(string step) => step switch
    {
        "legal_approval" => new JsonObject { ["approved"] = Index % 7 != 0, ["comments"] = $"legal remarks {Index}" },
        "finance_approval" => new JsonObject { ["approved"] = true, ["budget_code"] = $"B-{Index:D4}" },
        "security_approval" => new JsonObject { ["approved"] = Index % 5 != 0, ["risk_level"] = Workload.RiskLevels[Index % 3] },
        "manager_approval" => new JsonObject { ["approved"] = Index % 3 != 0, ["comment"] = $"manager says {Index}" },
        "request_review" when Index % 4 == 1 => new JsonObject { ["approved"] = false },
        "request_review" => new JsonObject { ["approved"] = Index % 2 == 0, ["comment"] = $"review {Index}" },
        _ => throw new InvalidOperationException($"Run {Index} ({Workflow}) has no answer for a task of step '{step}'."),
    };

    /// <summary>Whether the task of <paramref name="step"/> is answered as soon as it shows up (before a kill can
    /// come), rather than only after the last restart. About half of them, so that the kill finds human runs in every
    /// state: waiting for all their tasks, for some, or resuming after an answer.</summary>
    public bool AnswersEarly(string step) => (Index + step.Length) % 2 == 0;

    /// <summary>Who answers: the task's assignee when it has one, else a user of the task's group.</summary>
    public static (string User, string[] Groups) Caller(string? assignee, string? group) =>
        (assignee ?? "crash-tester", group is null ? [] : [group]);
}

/// <summary>The deterministic mix of catalogue runs the crash test starts.</summary>
internal static class Workload
{
    public static readonly string[] RiskLevels = ["low", "medium", "high"];

    /// <summary>The managers expense_approval runs name (each has an API key acting as that user).</summary>
    public static readonly string[] Managers = ["manager0", "manager1", "manager2", "manager3"];

    private static readonly string[] s_words =
    [
        "the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "durable", "runs", "survive", "a", "crash",
        "every", "step", "commits", "once", "stream", "has", "no", "gap",
    ];

    /// <summary>
    /// <paramref name="count"/> runs over event-driven fan-out/fan-in workflows, graph forks, joins and groups, and
    /// workflows that wait for people, with step delays of tens to a few hundred milliseconds. The same count always
    /// gives the same runs; <paramref name="tag"/> only makes the correlation ids unique.
    /// </summary>
    public static IReadOnlyList<RunSpec> Create(int count, string tag) =>
        Enumerable.Range(0, count).Select(i => Spec(i, tag)).ToArray();

    private static RunSpec Spec(int i, string tag)
    {
        var random = new Random(7919 * (i + 1));
        int Delay(int min, int max) => random.Next(min, max + 1);
        var (workflow, input) = (i % 12) switch
        {
            0 => ("document_analysis", new JsonObject
            {
                ["documents"] = new JsonArray(Enumerable.Range(0, 2 + (i / 12 % 5)).Select(d => (JsonNode)new JsonObject
                {
                    ["id"] = $"doc-{i}-{d}",
                    ["content"] = Sentence(random, 3 + random.Next(15)),
                }).ToArray()),
                ["delayMs"] = Delay(40, 300),
            }),
            1 => ("parallel_accumulator", new JsonObject
            {
                ["items"] = new JsonArray(Enumerable.Range(0, 3 + (i / 12 % 6)).Select(n => (JsonNode)$"item-{i}-{s_words[random.Next(s_words.Length)]}-{n}").ToArray()),
                ["delayMs"] = Delay(30, 200),
            }),
            2 => ("multi_event_flow", new JsonObject
            {
                ["delaysMs"] = new JsonObject { ["a"] = Delay(0, 300), ["b"] = Delay(0, 300), ["c"] = Delay(0, 300) },
            }),
            // The result is the arrival order, so the delays are a second apart: a re-run after the restart (which
            // waits its whole delay again) still arrives in the same order, even while the restarted server warms up.
            3 => ("concurrent_flow", new JsonObject
            {
                ["queries"] = new JsonArray($"Query {i}-1", $"Query {i}-2", $"Query {i}-3"),
                ["delaysMs"] = new JsonArray(Permutation(i / 12, [20, 1000, 2000]).Select(d => (JsonNode)d).ToArray()),
            }),
            4 => ("parallel_notify", new JsonObject
            {
                ["delaysMs"] = new JsonObject { ["email"] = Delay(20, 300), ["slack"] = Delay(20, 300), ["sms"] = Delay(20, 300) },
            }),
            // Races in every other round: the first source to succeed wins and the other is cancelled. The delays are
            // far apart (or the fast one fails), so the winner is the same after a restart re-runs both.
            5 when i / 12 % 2 == 1 => ("race_fetch", (i / 12 % 4) == 3
                ? new JsonObject { ["fastDelayMs"] = Delay(10, 100), ["reliableDelayMs"] = Delay(150, 300), ["fastFails"] = true }
                : new JsonObject { ["fastDelayMs"] = Delay(10, 100), ["reliableDelayMs"] = 1500 }),
            5 => ("data_fetch", new JsonObject
            {
                ["delaysMs"] = new JsonObject { ["api1"] = Delay(0, 300), ["api2"] = Delay(0, 300), ["api3"] = Delay(0, 300) },
            }),
            6 => ("throttled_notify", new JsonObject { ["delayMs"] = Delay(20, 120) }),
            7 => ("order_with_notifications", new JsonObject { ["order_id"] = $"ORD-{i:D4}", ["delayMs"] = Delay(20, 200) }),
            8 => ("parallel_approvals", new JsonObject()),
            9 => ("human_review", new JsonObject { ["document"] = $"Quarterly report {i}: " + Sentence(random, 12) }),
            10 => (i / 12 % 5) switch
            {
                0 => ("expense_approval", new JsonObject { ["amount"] = 100 + random.Next(900), ["employee"] = $"emp{i}" }),
                // Over the limit without a manager: submit fails the run, the same way in memory and on the server.
                4 when i / 12 % 10 == 4 => ("expense_approval", new JsonObject { ["amount"] = 2500, ["employee"] = $"emp{i}" }),
                _ => ("expense_approval", new JsonObject { ["amount"] = 1001 + random.Next(4000), ["employee"] = $"emp{i}", ["manager"] = Managers[i % Managers.Length] }),
            },
            _ => ("web_scraper", new JsonObject
            {
                ["urls"] = new JsonArray(Enumerable.Range(0, 3 + (i / 12 % 3)).Select(u => (JsonNode)(u == 1 && i % 24 == 11
                    ? $"https://example.com/{i}/fail"
                    : $"https://example.com/{i}/{u}")).ToArray()),
                ["delayMs"] = Delay(20, 250),
            }),
        };
        return new RunSpec(i, workflow, input, $"crash-{tag}-{i}");
    }

    private static string Sentence(Random random, int words) =>
        string.Join(' ', Enumerable.Range(0, words).Select(_ => s_words[random.Next(s_words.Length)]));

    private static int[] Permutation(int n, int[] values) => (n % 6) switch
    {
        0 => [values[0], values[1], values[2]],
        1 => [values[0], values[2], values[1]],
        2 => [values[1], values[0], values[2]],
        3 => [values[1], values[2], values[0]],
        4 => [values[2], values[0], values[1]],
        _ => [values[2], values[1], values[0]],
    };
}
