namespace Workflows.Engine.Tests.Hosting;

/// <summary>The registry: versions in semantic order, the latest by default, runs pinned to the version asked.</summary>
public sealed class WorkflowRegistryTests
{
    private sealed class VersionedWorkflow(string version) : Workflow
    {
        public override string Name => "versioned";

        public override string Version => version;

        public override string? Description => $"version {version}";

        [Step]
        public StopEvent Report(StartEvent ev) => new(version);
    }

    private static WorkflowRegistry RegistryWith(params string[] versions)
    {
        var registry = new WorkflowRegistry();
        foreach (var version in versions)
        {
            registry.Register(new VersionedWorkflow(version));
        }
        return registry;
    }

    [Fact]
    public void Find_SeveralVersions_LatestIsSemanticMaximumAndVersionsOrdered()
    {
        // Arrange
        var registry = RegistryWith("1.9.0", "1.10.0", "1.2.0");

        // Act
        var latest = registry.Find("versioned");

        // Assert
        Assert.Equal("1.10.0", latest!.Version);
        Assert.Equal("version 1.10.0", latest.Description);
        Assert.Equal(["1.2.0", "1.9.0", "1.10.0"], latest.Versions);
        Assert.Equal("1.9.0", registry.Find("versioned", "1.9.0")!.Version);
        Assert.Null(registry.Find("versioned", "3.0.0"));
        Assert.Null(registry.Find("unknown"));
        Assert.Equal("1.10.0", Assert.Single(registry.List()).Version);
    }

    [Fact]
    public async Task StartWorkflow_NoVersionAsked_RunsLatest()
    {
        // Arrange
        var engine = new LocalExecutionEngine(RegistryWith("1.9.0", "1.10.0"));

        // Act
        var run = await engine.StartWorkflowAsync("versioned");
        var outcome = await run.Outcome.WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.Equal("1.10.0", run.Version);
        Assert.Equal("1.10.0", outcome.Result);
    }

    [Fact]
    public async Task StartWorkflow_VersionAsked_RunPinnedToIt()
    {
        // Arrange
        var engine = new LocalExecutionEngine(RegistryWith("1.9.0", "1.10.0"));

        // Act
        var run = await engine.StartWorkflowAsync("versioned", version: "1.9.0");
        var outcome = await run.Outcome.WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.Equal("1.9.0", run.Version);
        Assert.Equal("1.9.0", outcome.Result);
        var started = Assert.IsType<RunStarted>(run.Items.Snapshot()[0]);
        Assert.Equal(("versioned", "1.9.0"), (started.Workflow, started.Version));
    }

    [Fact]
    public async Task StartWorkflow_UnknownNameOrVersion_Throws()
    {
        // Arrange
        var engine = new LocalExecutionEngine(RegistryWith("1.0.0"));

        // Act / Assert
        await Assert.ThrowsAsync<KeyNotFoundException>(() => engine.StartWorkflowAsync("versioned", version: "2.0.0"));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => engine.StartWorkflowAsync("nope"));
    }

    [Fact]
    public void Register_SameNameAndVersionTwice_Refused()
    {
        // Arrange
        var registry = RegistryWith("1.0.0");

        // Act
        var error = Assert.Throws<InvalidOperationException>(() => registry.Register(new VersionedWorkflow("1.0.0")));

        // Assert
        Assert.Contains("'versioned'", error.Message);
        Assert.Contains("1.0.0", error.Message);
        Assert.Equal(["1.0.0"], registry.Find("versioned")!.Versions);
    }
}
