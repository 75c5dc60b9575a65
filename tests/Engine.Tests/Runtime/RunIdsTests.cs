namespace Workflows.Engine.Tests.Runtime;

/// <summary>Run ids: UUIDv7 in the 32-hex-digit form, with the start time in front and random bits that do not repeat.</summary>
public sealed class RunIdsTests
{
    [Fact]
    public void New_Id_IsVersion7InNFormWithTheGivenMillisecond()
    {
        // Arrange
        var now = new DateTimeOffset(2026, 11, 22, 6, 0, 0, 123, TimeSpan.Zero);

        // Act
        var id = RunIds.New(now);

        // Assert
        Assert.Matches("^[0-9a-f]{32}$", id);
        var guid = Guid.ParseExact(id, "N");
        Assert.Equal(7, guid.Version);
        Assert.Equal(0b10, guid.Variant >> 2);
        Assert.Equal(now.ToUnixTimeMilliseconds(), Convert.ToInt64(id[..12], 16));
    }

    [Fact]
    public void New_ManyIdsInOneMillisecondAcrossBufferRefills_AllDistinct()
    {
        // Arrange
        var now = DateTimeOffset.UtcNow;

        // Act: far more ids than one buffer holds, all in the same millisecond, so only the random bits differ.
        var ids = Enumerable.Range(0, 5_000).Select(_ => RunIds.New(now)).ToArray();

        // Assert
        Assert.Equal(ids.Length, ids.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void New_LaterMillisecond_SortsAfter()
    {
        // Arrange
        var now = DateTimeOffset.UtcNow;

        // Act
        var earlier = RunIds.New(now);
        var later = RunIds.New(now.AddMilliseconds(1));

        // Assert
        Assert.True(string.CompareOrdinal(earlier, later) < 0);
    }

    [Fact]
    public async Task StartWorkflowAsync_RunId_IsVersion7()
    {
        // Arrange
        var registry = new WorkflowRegistry();
        registry.Register(new OneStepWorkflow());
        var engine = new LocalExecutionEngine(registry);

        // Act
        var run = await engine.StartWorkflowAsync("one_step");
        await run.Outcome.WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.Equal(7, Guid.ParseExact(run.RunId, "N").Version);
    }

    private sealed class OneStepWorkflow : Workflow
    {
        public override string Name => "one_step";

        [Step]
        public StopEvent Finish(StartEvent ev) => new("done");
    }
}
