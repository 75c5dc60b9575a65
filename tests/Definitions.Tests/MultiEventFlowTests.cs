using Workflows.Definitions.EventDriven;

namespace Workflows.Definitions.Tests;

public sealed class MultiEventFlowTests
{
    [Theory]
    [InlineData(0, 500, 500, 'A')]
    [InlineData(500, 0, 500, 'B')]
    [InlineData(500, 500, 0, 'C')]
    public async Task Run_ReturnsTheCollectOrderWhateverBranchFinishesFirst(int a, int b, int c, char first)
    {
        var (handle, outcome) = await Runs.RunToEndAsync(new MultiEventFlow(), new { delaysMs = new { a, b, c } });

        Assert.Equal(RunStatus.Completed, outcome.Status);
        Assert.Equal(["Query 3", "Query 1", "Query 2"], Assert.IsType<string[]>(outcome.Result));
        // The arrival order really differed: the branch without delay finished 500 ms ahead of the others.
        var arrived = handle.Items.Snapshot().EventsOf<StepCompleteEvent>().Select(e => e switch
        {
            StepACompleteEvent => 'A',
            StepBCompleteEvent => 'B',
            _ => 'C',
        }).ToArray();
        Assert.Equal(3, arrived.Length);
        Assert.Equal(first, arrived[0]);
    }

    [Fact]
    public async Task Run_WithoutInput_HasNoDelays()
    {
        var (handle, outcome) = await Runs.RunToEndAsync(new MultiEventFlow());

        Assert.Equal(["Query 3", "Query 1", "Query 2"], Assert.IsType<string[]>(outcome.Result));
        var items = handle.Items.Snapshot();
        Assert.Equal(0, items.EventsOf<StepAEvent>().Single().DelayMs);
        Assert.Equal(0, items.EventsOf<StepBEvent>().Single().DelayMs);
        Assert.Equal(0, items.EventsOf<StepCEvent>().Single().DelayMs);
    }
}
