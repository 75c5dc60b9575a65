using Microsoft.Extensions.Options;
using Workflows.Engine.Tests.Support;

namespace Workflows.Engine.Tests.Runtime;

/// <summary>verbose: "Running step X", "Step X produced event Y", "Step X produced no event" through ILogger.</summary>
public sealed class VerboseLoggingTests
{
    private sealed record Ping : Event;

    private sealed record Pong : Event;

    /// <summary>begin sends Ping and returns Pong; gather (one worker) returns null for the first, a StopEvent for the second.</summary>
    private sealed class ChattyWorkflow : Workflow
    {
        [Step, Emits(typeof(Ping))]
        public Pong Begin(StartEvent ev, IStepContext ctx)
        {
            ctx.SendEvent(new Ping());
            return new Pong();
        }

        [Step(NumWorkers = 1), Accepts(typeof(Ping), typeof(Pong))]
        public StopEvent? Gather(Event ev, IStepContext ctx) =>
            ctx.CollectEvents(ev, [typeof(Ping), typeof(Pong)]) is null ? null : new StopEvent("done");
    }

    private static readonly string[] s_expected =
    [
        "Running step begin",
        "Step begin produced event Ping",
        "Step begin produced event Pong",
        "Running step gather",
        "Step gather produced no event",
        "Step gather produced event StopEvent",
    ];

    [Fact]
    public async Task Verbose_On_LogsRunningProducedAndNoEvent()
    {
        // Arrange
        var logs = new CapturingLoggerFactory();
        var workflow = new ChattyWorkflow { Verbose = true };

        // Act
        var run = await workflow.StartAsync(loggerFactory: logs);
        var outcome = await run.Outcome.WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.Equal(RunStatus.Completed, outcome.Status);
        foreach (var message in s_expected)
        {
            Assert.Contains(message, logs.Messages);
        }
        Assert.Equal(2, logs.Messages.Count(m => m == "Running step gather"));
        Assert.Equal(
            ["Running step begin", "Step begin produced event Ping", "Step begin produced event Pong"],
            logs.Messages.Where(m => m.Contains("step begin", StringComparison.OrdinalIgnoreCase)).ToArray());
    }

    [Fact]
    public async Task Verbose_Off_LogsNoStepTrace()
    {
        // Arrange
        var logs = new CapturingLoggerFactory();
        var workflow = new ChattyWorkflow();

        // Act
        var run = await workflow.StartAsync(loggerFactory: logs);
        await run.Outcome.WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.DoesNotContain(logs.Messages, m => s_expected.Contains(m));
    }

    [Fact]
    public async Task Verbose_EngineOptionOn_OverridesQuietWorkflow()
    {
        // Arrange
        var logs = new CapturingLoggerFactory();
        var registry = new WorkflowRegistry();
        registry.Register(new ChattyWorkflow());
        var engine = new LocalExecutionEngine(registry, Options.Create(new EngineOptions { Verbose = true }), logs);

        // Act
        var run = await engine.StartWorkflowAsync("chatty_workflow");
        await run.Outcome.WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.Contains("Running step begin", logs.Messages);
        Assert.Contains("Step gather produced no event", logs.Messages);
    }
}
