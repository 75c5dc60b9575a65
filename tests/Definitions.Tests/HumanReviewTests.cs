using System.Text.Json.Nodes;
using Workflows.Definitions.EventDriven;

namespace Workflows.Definitions.Tests;

public sealed class HumanReviewTests
{
    private static readonly TaskCaller s_reviewer = new("rita");

    [Fact]
    public async Task Start_OpensOneTaskWithTheReviewForm_AndWaits()
    {
        var run = await HumanRun.StartAsync(new HumanReview(), new { document = "Q3 report" });

        var waiting = await run.WaitUntilWaitingAsync();

        var task = Assert.Single(run.PendingTasks());
        Assert.Equal([task.Id], waiting.OpenTasks);
        Assert.Equal("request_review", task.Step);
        Assert.Equal("human_review", task.Workflow);
        Assert.Contains("Q3 report", task.Title);
        Assert.Equal("Q3 report", task.Description);
        Assert.Null(task.Assignee);
        Assert.Null(task.Group);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            {"type":"object","required":["approved"],"properties":{"approved":{"type":"boolean"},"comment":{"type":"string"}}}
            """), WithoutDescriptions(task.FormSchema)), task.FormSchema.ToJsonString());
        var request = Assert.Single(run.Items.EventsOf<InputRequiredEvent>());
        Assert.Equal(task.Title, request.Title);
        var created = Assert.Single(run.Items.OfType<TaskCreated>());
        Assert.True(created.Sequence < waiting.Sequence);
        Assert.Empty(run.Items.Starts("decide"));
    }

    [Theory]
    [InlineData("""{"approved":true,"comment":"Looks good"}""", true, "Looks good")]
    [InlineData("""{"approved":false,"comment":"Missing the appendix"}""", false, "Missing the appendix")]
    [InlineData("""{"approved":false}""", false, null)]
    public async Task Response_DecidesTheStop(string answer, bool approved, string? comment)
    {
        var run = await HumanRun.StartAsync(new HumanReview(), new { document = "Q3 report" });
        await run.WaitUntilWaitingAsync();

        var completion = await run.CompleteAsync("request_review", answer, s_reviewer);
        var outcome = await run.OutcomeAsync();

        Assert.Equal(RunStatus.Completed, outcome.Status);
        // The answer is routed to decide, which runs on a worker: the run may still be running when the call returns.
        Assert.Contains(completion.RunStatus, new[] { RunStatus.Running, RunStatus.Completed });
        Assert.Equal("rita", completion.Task.CompletedBy);
        Assert.Equal(new HumanReviewResult(approved, comment), outcome.Result);
        Assert.Equal($$"""{"approved":{{(approved ? "true" : "false")}},"comment":{{(comment is null ? "null" : $"\"{comment}\"")}}}""",
            Runs.ToJson(outcome.Result)!.ToJsonString());
        var response = Assert.Single(run.Items.EventsOf<HumanResponseEvent>());
        Assert.Equal(completion.Task.Id, response.TaskId);
        Assert.Equal("request_review", response.Step);
        Assert.Equal("rita", response.CompletedBy);
        Assert.Single(run.Items.Starts("decide"));
    }

    [Fact]
    public async Task InvalidAnswer_IsRejectedWithEveryError_AndNothingIsStored()
    {
        var run = await HumanRun.StartAsync(new HumanReview(), new { document = "Q3 report" });
        await run.WaitUntilWaitingAsync();
        var before = run.Handle.Items.Count;

        var error = await Assert.ThrowsAsync<FormValidationException>(
            () => run.CompleteAsync("request_review", """{"approved":"yes","comment":42}""", s_reviewer));
        var missing = await Assert.ThrowsAsync<FormValidationException>(
            () => run.CompleteAsync("request_review", """{"comment":"no decision"}""", s_reviewer));

        Assert.Equal(["/approved", "/comment"], error.Errors.Select(e => e.Pointer).Order(StringComparer.Ordinal));
        Assert.Equal(["/approved"], missing.Errors.Select(e => e.Pointer));
        Assert.Equal(HumanTaskStatus.Pending, Assert.Single(run.PendingTasks()).Status);
        Assert.Equal(before, run.Handle.Items.Count);
        Assert.Empty(run.Items.OfType<TaskCompleted>());
        Assert.Equal(RunStatus.Waiting, run.Handle.Status);

        // The task is still answerable after the refusals.
        await run.CompleteAsync("request_review", """{"approved":true}""", s_reviewer);
        Assert.Equal(new HumanReviewResult(true, null), (await run.OutcomeAsync()).Result);
    }

    [Fact]
    public async Task CompletingTwice_IsAConflict()
    {
        var run = await HumanRun.StartAsync(new HumanReview(), new { document = "Q3 report" });
        await run.WaitUntilWaitingAsync();
        var task = Assert.Single(run.PendingTasks());

        await run.Tasks.CompleteAsync(task.Id, JsonNode.Parse("""{"approved":true}"""), s_reviewer);

        await Assert.ThrowsAsync<TaskConflictException>(
            () => run.Tasks.CompleteAsync(task.Id, JsonNode.Parse("""{"approved":false}"""), s_reviewer));
        Assert.Equal(new HumanReviewResult(true, null), (await run.OutcomeAsync()).Result);
        Assert.Single(run.Items.OfType<TaskCompleted>());
    }

    [Fact]
    public async Task LongDocument_IsCutInTheTitle_AndWholeInTheDescription()
    {
        var document = string.Join(' ', Enumerable.Repeat("word", 100));
        var run = await HumanRun.StartAsync(new HumanReview(), new { document });
        await run.WaitUntilWaitingAsync();

        var task = Assert.Single(run.PendingTasks());

        Assert.StartsWith("Review the document: word word", task.Title);
        Assert.True(task.Title.Length <= "Review the document: ".Length + HumanReview.MaxTitleDocumentLength, task.Title);
        Assert.Equal(document, task.Description);
    }

    [Fact]
    public async Task NoDocument_FailsTheRun_WithoutATask()
    {
        var run = await HumanRun.StartAsync(new HumanReview());

        var outcome = await run.OutcomeAsync();

        Assert.Equal(RunStatus.Failed, outcome.Status);
        Assert.Contains("document", outcome.Error!.Message);
        Assert.Empty(run.Items.OfType<TaskCreated>());
        Assert.Empty(run.Tasks.List(new TaskQuery { RunId = run.Handle.RunId }));
    }

    /// <summary>The schema without its "description" keywords, which are for people, not for validation.</summary>
    internal static JsonNode WithoutDescriptions(JsonNode schema)
    {
        var copy = schema.DeepClone();
        Strip(copy);
        return copy;

        static void Strip(JsonNode? node)
        {
            if (node is JsonObject obj)
            {
                obj.Remove("description");
                foreach (var (_, child) in obj)
                {
                    Strip(child);
                }
            }
        }
    }
}
