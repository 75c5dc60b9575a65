using static Workflows.Engine.Tests.Graph.GraphTestKit;

namespace Workflows.Engine.Tests.Graph;

/// <summary>Graph rule "versions": runs stay on the version they started with; "latest" is by semantic version.</summary>
public sealed class VersionTests
{
    [Fact]
    public async Task Version_NewerRegisteredWhileRunning_RunCompletesOnItsOwnVersion()
    {
        // Arrange: v1 is start → wait → v1_end; v2 (registered mid-run) is start → wait → v2_end.
        var release = new Latch();
        var waiting = new Latch();
        WorkflowDefinition Version(string version, string end) => Definition("versioned",
            [
                Noop("start"),
                Step("wait", async (_, _) => { waiting.Set(); await release.WaitAsync(); return null; }),
                new MachineStep(end, ctx => ctx.Set("ended_by", end)),
            ],
            [new Edge("start", "wait"), new Edge("wait", end)], "start", end) with { Version = version };
        var registry = new WorkflowRegistry();
        registry.Register(Version("1.0.0", "v1_end"));
        var engine = new LocalExecutionEngine(registry);
        var run = await engine.StartWorkflowAsync("versioned", new { amount = 5 });
        await waiting.WaitAsync();

        // Act
        registry.Register(Version("2.0.0", "v2_end"));
        release.Set();
        var outcome = await run.Outcome.WaitAsync(Patience);
        var items = run.Items.Snapshot();

        // Assert
        outcome.AssertCompleted();
        Assert.Equal("1.0.0", run.Version);
        Assert.Equal("1.0.0", Assert.IsType<RunStarted>(items[0]).Version);
        Assert.Equal(["start", "wait", "v1_end"], items.StartedSteps());
        Assert.Equal("v1_end", outcome.Context()["ended_by"]!.GetValue<string>());
        Assert.Equal("2.0.0", registry.Find("versioned")!.Version);
        var next = await engine.StartWorkflowAsync("versioned");
        var nextOutcome = await next.Outcome.WaitAsync(Patience);
        nextOutcome.AssertCompleted();
        Assert.Equal("2.0.0", next.Version);
        Assert.Contains("v2_end", next.Items.Snapshot().StartedSteps());
    }

    [Fact]
    public async Task Version_Latest_ComparesSemantically()
    {
        // Arrange: registered highest first, so neither "last registered" nor ordinal order picks 1.10.0.
        var registry = new WorkflowRegistry();
        foreach (var version in (string[])["1.10.0", "1.9.0", "1.2.0", "1.10.0-beta"])
        {
            registry.Register(Definition("semver", [new MachineStep("only", ctx => ctx.Set("version", version))], [], "only", "only") with { Version = version });
        }

        // Act
        var run = await new LocalExecutionEngine(registry).StartWorkflowAsync("semver");
        var outcome = await run.Outcome.WaitAsync(Patience);
        var pinned = await new LocalExecutionEngine(registry).StartWorkflowAsync("semver", version: "1.9.0");
        var pinnedOutcome = await pinned.Outcome.WaitAsync(Patience);

        // Assert
        Assert.Equal("1.10.0", registry.Find("semver")!.Version);
        Assert.Equal("1.10.0", run.Version);
        Assert.Equal("1.10.0", outcome.Context()["version"]!.GetValue<string>());
        Assert.Equal("1.9.0", pinned.Version);
        Assert.Equal("1.9.0", pinnedOutcome.Context()["version"]!.GetValue<string>());
    }

    [Fact]
    public void Version_SameVersionTwice_IsRefused()
    {
        var registry = new WorkflowRegistry();
        var definition = Definition("twice", [Noop("only")], [], "only", "only");
        registry.Register(definition);

        var error = Assert.Throws<InvalidOperationException>(() => registry.Register(definition));

        Assert.Contains("'twice' version 1.0.0", error.Message, StringComparison.Ordinal);
    }
}
