using System.Text.Json.Nodes;

namespace Workflows.Engine.Tests.Docs;

/// <summary>The README's examples, verbatim in substance: if these fail, the README is wrong.</summary>
public sealed class ReadmeExamplesTests
{
    public sealed record Chunk(int Index) : Event;

    public sealed record Counted(int Index, int Words) : Event;

    public sealed class WordCount : Workflow
    {
        [Step, Emits(typeof(Chunk))]
        public void Split(StartEvent ev, IStepContext ctx)
        {
            for (var i = 0; i < ev.Get<int>("chunks"); i++)
            {
                ctx.SendEvent(new Chunk(i));
            }
        }

        [Step(NumWorkers = 2)]
        public async Task<Counted> Count(Chunk chunk, CancellationToken ct)
        {
            await Task.Delay(10, ct);
            return new Counted(chunk.Index, 100);
        }

        [Step]
        public StopEvent? Total(Counted ev, IStepContext ctx) =>
            ctx.CollectEvents<Counted>(ev, 3) is { } all ? new StopEvent(all.Sum(c => c.Words)) : null;
    }

    [Fact]
    public async Task EventDrivenExample_ReturnsTheTotal()
    {
        var total = await new WordCount().RunAsync(new { chunks = 3 }).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(300, total);
    }

    [Fact]
    public async Task GraphExample_TakesOnlyTheBranchWhoseConditionHolds()
    {
        var definition = new WorkflowDefinition
        {
            Name = "notify",
            InitialStep = "process",
            TerminalSteps = ["complete"],
            Steps =
            [
                new MachineStep("process", ctx => ctx.Set("processed", true)),
                new MachineStep("send_email", ctx => ctx.Set("email_sent", true)),
                new MachineStep("send_sms", ctx => ctx.Set("sms_sent", true)),
                new MachineStep("complete", ctx => ctx.Set("done", true)),
            ],
            Edges =
            [
                new("process", "send_email"),
                new("process", "send_sms", "amount > 1000 && region == \"EU\""),
                new("send_email", "complete"),
                new("send_sms", "complete"),
            ],
        };
        var registry = new WorkflowRegistry();
        registry.Register(definition);
        var run = await new LocalExecutionEngine(registry).StartWorkflowAsync("notify", new { amount = 50 });

        var context = (JsonObject)(await run.GetResultAsync().WaitAsync(TimeSpan.FromSeconds(10)))!;

        Assert.Equal("""{"amount":50,"processed":true,"email_sent":true,"done":true}""", context.ToJsonString());
    }
}
