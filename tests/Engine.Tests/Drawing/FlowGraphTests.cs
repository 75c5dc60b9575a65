using System.Text.Json;
using Workflows.Serialization;

namespace Workflows.Engine.Tests.Drawing;

public sealed class FlowGraphTests
{
    private sealed record Work(int Index) : Event;

    private sealed record Done(int Index) : Event;

    private sealed class FanOut : Workflow
    {
        [Step, Emits(typeof(Work))]
        public void Start(StartEvent ev, IStepContext context) => context.SendEvent(new Work(0));

        [Step(NumWorkers = 3)]
        public Done Work(Work ev) => new(ev.Index);

        [Step]
        public StopEvent? Collect(Done ev, IStepContext context) =>
            context.CollectEvents<Done>(ev, 1) is { } all ? new StopEvent(all.Count) : null;
    }

    private static WorkflowDefinition Notify() => new()
    {
        Name = "notify",
        InitialStep = "process",
        TerminalSteps = ["complete"],
        Steps =
        [
            new MachineStep("process", _ => { }),
            new MachineStep("send_email", _ => { }),
            new MachineStep("send_sms", _ => { }),
            new ParallelGroup("fan", [new MachineStep("a", _ => { }), new MachineStep("b", _ => { })], new MachineStep("log", _ => { }), maxConcurrency: 1),
            new MachineStep("complete", _ => { }),
        ],
        Edges =
        [
            new("process", "send_email"),
            new("process", "send_sms", "amount > 1000 && region == \"EU\""),
            new("send_email", "fan"),
            new("send_sms", "fan"),
            new("fan", "complete"),
        ],
    };

    [Fact]
    public void EventDrivenWorkflow_Drawing_LinksProducersToConsumersByEventType()
    {
        var graph = new FanOut().DrawAllPossibleFlows();

        Assert.Equal("event", graph.Kind);
        Assert.Equal(["_start", "start", "work", "collect", "_stop"], graph.Nodes.Select(n => n.Id));
        Assert.True(graph.Nodes[0].Initial);
        Assert.True(graph.Nodes[^1].Terminal);
        Assert.Equal(3, graph.Nodes.Single(n => n.Id == "work").Concurrency);
        Assert.Equal(
            ["_start -StartEvent-> start", "start -Work-> work", "work -Done-> collect", "collect -StopEvent-> _stop"],
            graph.Edges.Select(e => $"{e.Source} -{e.Event}-> {e.Target}"));
    }

    [Fact]
    public void GraphDefinition_Drawing_ShowsConditionsGroupsAndEnds()
    {
        var registry = new WorkflowRegistry();
        registry.Register(Notify());

        var graph = registry.DrawAllPossibleFlows("notify")!;

        Assert.Equal("graph", graph.Kind);
        Assert.True(graph.Nodes.Single(n => n.Id == "process").Initial);
        Assert.True(graph.Nodes.Single(n => n.Id == "complete").Terminal);
        var fan = graph.Nodes.Single(n => n.Id == "fan");
        Assert.Equal(FlowNodeKinds.Parallel, fan.Kind);
        Assert.Equal(["a", "b"], fan.Members!);
        Assert.Equal("log", fan.Callback);
        Assert.Equal(1, fan.Concurrency);
        Assert.Equal("fan", graph.Nodes.Single(n => n.Id == "log").Group);
        Assert.Equal("amount > 1000 && region == \"EU\"", graph.Edges.Single(e => e.Target == "send_sms").Condition);
        Assert.Null(graph.Edges.Single(e => e.Target == "send_email").Condition);
    }

    [Fact]
    public void Mermaid_EscapesLabelsAndDrawsEveryEdge()
    {
        var registry = new WorkflowRegistry();
        registry.Register(Notify());

        var mermaid = registry.DrawAllPossibleFlows("notify")!.ToMermaid();

        Assert.StartsWith("flowchart TD\n", mermaid, StringComparison.Ordinal);
        Assert.Contains("-->|\"amount #gt; 1000 #amp;#amp; region == #quot;EU#quot;\"|", mermaid, StringComparison.Ordinal);
        Assert.Contains("subgraph", mermaid, StringComparison.Ordinal);
        Assert.DoesNotContain("\"EU\"", mermaid, StringComparison.Ordinal);
        // five definition edges, plus the chord's two member → callback lines
        Assert.Equal(5, mermaid.Split('\n').Count(l => l.Contains(" --> ", StringComparison.Ordinal) || l.Contains(" -->|", StringComparison.Ordinal)));
        Assert.Equal(2, mermaid.Split('\n').Count(l => l.Contains(" -.-> ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task RunDrawing_ColoursEachStepByItsState()
    {
        var registry = new WorkflowRegistry();
        registry.Register(new WorkflowDefinition
        {
            Name = "coloured",
            InitialStep = "first",
            TerminalSteps = ["last"],
            Steps =
            [
                new MachineStep("first", _ => { }),
                new MachineStep("guarded", (_, _) => Task.FromResult<object?>(null), canExecute: _ => false),
                new MachineStep("not_taken", _ => { }),
                new MachineStep("last", _ => throw new InvalidOperationException("boom")),
            ],
            Edges = [new("first", "guarded"), new("first", "not_taken", "missing == 1"), new("guarded", "last"), new("not_taken", "last")],
        });
        var run = await new LocalExecutionEngine(registry).StartWorkflowAsync("coloured");
        await run.Outcome.WaitAsync(TimeSpan.FromSeconds(10));

        var states = run.Draw().Nodes.ToDictionary(n => n.Id, n => n.State);

        Assert.Equal(FlowNodeStates.Done, states["first"]);
        Assert.Equal(FlowNodeStates.Skipped, states["guarded"]);
        Assert.Null(states["not_taken"]);
        Assert.Equal(FlowNodeStates.Failed, states["last"]);
        Assert.Contains("class ", run.Draw().ToMermaid(), StringComparison.Ordinal);
    }

    [Fact]
    public void FlowGraph_SerialisesAsCamelCaseNodesAndEdges()
    {
        var json = JsonSerializer.Serialize(new FanOut().DrawAllPossibleFlows(), WorkflowJson.Options);

        using var document = JsonDocument.Parse(json);
        Assert.Equal(5, document.RootElement.GetProperty("nodes").GetArrayLength());
        Assert.Equal("start", document.RootElement.GetProperty("nodes")[0].GetProperty("kind").GetString());
        Assert.Equal("Work", document.RootElement.GetProperty("edges")[1].GetProperty("event").GetString());
    }

    [Fact]
    public async Task RunDrawing_HumanSteps_AreMarkedAndWaitUntilAnswered()
    {
        var schema = System.Text.Json.Nodes.JsonNode.Parse("""{"type":"object","properties":{"approved":{"type":"boolean"}}}""")!.AsObject();
        var registry = new WorkflowRegistry();
        registry.Register(new WorkflowDefinition
        {
            Name = "two_approvals",
            InitialStep = "approvals",
            TerminalSteps = ["approvals"],
            Steps = [new ParallelGroup("approvals", [new HumanStep("legal", "Legal?", schema), new HumanStep("finance", "Finance?", schema)])],
        });
        var engine = new LocalExecutionEngine(registry);
        var run = await engine.StartWorkflowAsync("two_approvals");
        await foreach (var item in run.ReadItemsAsync().WithCancellation(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token))
        {
            if (item is RunWaiting)
            {
                break;
            }
        }
        var legal = engine.Tasks.List(new TaskQuery { RunId = run.RunId }).Single(t => t.Step == "legal");
        await engine.Tasks.CompleteAsync(legal.Id, System.Text.Json.Nodes.JsonNode.Parse("""{"approved":true}"""), new TaskCaller("ann"));

        var drawing = run.Draw();
        var states = drawing.Nodes.ToDictionary(n => n.Id, n => n.State);

        Assert.All(drawing.Nodes.Where(n => n.Group == "approvals"), n => Assert.True(n.Human));
        Assert.Equal(FlowNodeStates.Done, states["legal"]);
        Assert.Equal(FlowNodeStates.Waiting, states["finance"]);
        Assert.Equal(FlowNodeStates.Waiting, states["approvals"]);
        Assert.Contains("[/\"finance\"/]", drawing.ToMermaid(), StringComparison.Ordinal);
        run.Cancel();
    }
}
