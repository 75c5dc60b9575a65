using Workflows.Persistence;
using static Workflows.Engine.Tests.Tasks.TaskTestKit;

namespace Workflows.Engine.Tests.Persistence;

/// <summary>
/// Text that goes to a store's plain text columns must be text every store can keep (no U+0000, no unpaired
/// surrogate): one commit the store refused would be retried and hold back every other run's commits. Text a step
/// makes fails its run with a clear error; text a caller passes is an <see cref="ArgumentException"/> naming it.
/// </summary>
public sealed class StorableTextTests
{
    private sealed class AsksWith(string title, string? assignee = null) : Workflow
    {
        public override string Name => "asks_with";

        [Step]
        public InputRequiredEvent Ask(StartEvent ev) => new(title, ApprovalForm()) { Assignee = assignee };

        [Step]
        public StopEvent Decide(HumanResponseEvent ev) => new("done");
    }

    [Fact]
    public void IsStorable_RefusesNulAndUnpairedSurrogatesOnly()
    {
        // Built in code: a lone surrogate would not survive as theory data (the runner's serialisation replaces it).
        var (high, low) = ((char)0xD800, (char)0xDC00);
        Assert.True(StorableText.IsStorable("plain"));
        Assert.True(StorableText.IsStorable(null));
        Assert.True(StorableText.IsStorable($"a pair {high}{low} is one character"));
        Assert.False(StorableText.IsStorable("nul \0 inside"));
        Assert.False(StorableText.IsStorable($"lone {high} high"));
        Assert.False(StorableText.IsStorable($"lone {low} low"));
        Assert.False(StorableText.IsStorable($"ends high {high}"));
        Assert.False(StorableText.IsStorable($"reversed {low}{high}"));
    }

    [Theory]
    [InlineData("Approve \0?", null, "title")]
    [InlineData("Approve?", "ann\0", "assignee")]
    [InlineData("Approve?", "lone-surrogate", "assignee")]
    public async Task StepAsksForATaskWithUnstorableText_RunFailsNamingTheField_NoTaskOpens(string title, string? assignee, string field)
    {
        assignee = assignee == "lone-surrogate" ? "ann" + (char)0xD800 : assignee; // not as theory data: see above
        var engine = NewEngine(new AsksWith(title, assignee));

        var run = await engine.StartWorkflowAsync("asks_with");
        var outcome = await run.Outcome.WaitAsync(Patience);

        Assert.Equal(RunStatus.Failed, outcome.Status);
        Assert.Equal(("ask", "invalid_task"), (outcome.Error!.Step, outcome.Error.Type));
        Assert.Contains($"whose {field} holds U+0000", outcome.Error.Message, StringComparison.Ordinal);
        Assert.Empty(engine.Tasks.List(new TaskQuery { RunId = run.RunId }));
        Assert.Empty(run.Items.Snapshot().OfType<TaskCreated>());
    }

    [Fact]
    public async Task CallerTextThatCannotBeStored_IsAnArgumentExceptionNamingIt_AndChangesNothing()
    {
        var engine = NewEngine(new AsksWith("Approve?"));

        var correlation = await Assert.ThrowsAsync<ArgumentException>(() => engine.StartWorkflowAsync("asks_with", correlationId: "order\0"));
        Assert.Equal("correlationId", correlation.ParamName);
        Assert.Empty((await engine.ListRunsAsync(new RunListQuery())).Items);

        var run = await engine.StartWorkflowAsync("asks_with");
        var task = await engine.WaitForTaskAsync(run, "ask");
        Assert.Equal("caller", (await Assert.ThrowsAsync<ArgumentException>(() => engine.Tasks.CompleteAsync(task.Id, Approved(), new TaskCaller("ann\0")))).ParamName);
        Assert.Equal("reason", (await Assert.ThrowsAsync<ArgumentException>(() => engine.Tasks.CancelAsync(task.Id, new TaskCaller("ann"), "no" + (char)0xD800))).ParamName);
        Assert.Equal("reason", Assert.Throws<ArgumentException>(() => run.Cancel("stop\0")).ParamName);

        Assert.Equal(HumanTaskStatus.Pending, engine.Tasks.Get(task.Id)!.Status);
        Assert.Equal(RunStatus.Waiting, run.Status);
        Assert.True(run.Cancel("test over"));
    }
}
