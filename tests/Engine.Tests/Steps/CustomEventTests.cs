using System.Text.Json.Nodes;

namespace Workflows.Engine.Tests.Steps;

/// <summary>Custom start events (typed properties bound from the input) and custom stop events (themselves the result).</summary>
public sealed class CustomEventTests
{
    private sealed record OrderPlaced(string Customer, int Amount) : StartEvent;

    private sealed record Receipt(string Customer, int Total) : StopEvent;

    private sealed class BillingWorkflow : Workflow
    {
        [Step]
        public Receipt Bill(OrderPlaced ev) => new(ev.Customer, ev.Amount * 2);
    }

    [Fact]
    public async Task CustomStartAndStop_InputBoundToTypedProperties_ResultIsTheStopEventItself()
    {
        // Arrange
        var workflow = new BillingWorkflow();

        // Act
        var run = await workflow.StartAsync(new { customer = "Ada", amount = 21 });
        var outcome = await run.Outcome.WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.Equal(RunStatus.Completed, outcome.Status);
        var receipt = Assert.IsType<Receipt>(outcome.Result);
        Assert.Equal(("Ada", 42), (receipt.Customer, receipt.Total));
        Assert.Same(receipt, outcome.StopEvent);
        Assert.Same(receipt, await run);
        var started = Assert.IsType<OrderPlaced>(Assert.IsType<RunStarted>(run.Items.Snapshot()[0]).StartEvent);
        Assert.Equal(("Ada", 21), (started.Customer, started.Amount));
        Assert.Equal(21, started.Get<int>("amount"));
        Assert.Equal(nameof(OrderPlaced), Assert.Single(run.Items.Snapshot().OfType<StepStarted>()).EventType);
    }

    [Fact]
    public async Task CustomStart_InputOfWrongShape_RejectedAtStart()
    {
        // Arrange
        var workflow = new BillingWorkflow();

        // Act
        var error = await Assert.ThrowsAsync<ArgumentException>(() => workflow.StartAsync(new { customer = "Ada", amount = "lots" }));

        // Assert
        Assert.Contains(nameof(OrderPlaced), error.Message);
    }

    [Fact]
    public async Task CustomStart_ReadyStartEventPassedAsInput_UsedAsIs()
    {
        // Arrange
        var workflow = new BillingWorkflow();

        // Act
        var result = await workflow.RunAsync(new OrderPlaced("Grace", 5)).WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.Equal(new Receipt("Grace", 10), result);
    }

    private sealed class PlainWorkflow : Workflow
    {
        [Step]
        public StopEvent Greet(StartEvent ev) => new($"Hello, {ev.Get<string>("person.name")}! ({ev.Has("person.age")})");
    }

    [Fact]
    public async Task PlainStartAndStop_DottedInputPath_ResultIsStopEventResult()
    {
        // Arrange
        var workflow = new PlainWorkflow();

        // Act
        var run = await workflow.StartAsync(JsonNode.Parse("""{"person":{"name":"Ada"}}""")!.AsObject());
        var outcome = await run.Outcome.WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.Equal("Hello, Ada! (False)", outcome.Result);
        Assert.Equal(typeof(StopEvent), outcome.StopEvent!.GetType());
    }

    [Fact]
    public async Task Start_InputNotAnObject_Rejected()
    {
        // Arrange
        var workflow = new PlainWorkflow();

        // Act / Assert
        await Assert.ThrowsAsync<ArgumentException>(() => workflow.StartAsync(42));
    }
}
