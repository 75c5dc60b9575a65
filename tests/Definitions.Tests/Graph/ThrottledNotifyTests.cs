using Workflows.Definitions.Graph;

namespace Workflows.Definitions.Tests.Graph;

public sealed class ThrottledNotifyTests
{
    [Fact]
    public async Task Run_SendsTen()
    {
        var (context, items) = await GraphRuns.CompleteAsync(ThrottledNotify.Create(), new { delayMs = 10 });

        Assert.Equal(10, context["sent"]!.GetValue<int>());
        Assert.Equal(
            Enumerable.Range(1, 10).Select(i => $"send_{i}").Order(StringComparer.Ordinal),
            items.OfType<StepCompleted>().Where(c => c.Group == "notify").Select(c => c.Step).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Senders_NeverRunMoreThanFiveAtOnce()
    {
        var (_, items) = await GraphRuns.CompleteAsync(ThrottledNotify.Create(), new { delayMs = 20 });

        var max = items.MaxConcurrentMembers("notify");
        Assert.InRange(max, 1, 5);
        // Not a timing accident: the group hands all ten members to its pool at once, which starts five and queues
        // the rest before any completion can be applied, so the stream always shows five running together.
        Assert.Equal(5, max);
        Assert.All(items.OfType<StepStarted>().Where(s => s.Group == "notify"), s => Assert.InRange(s.Worker, 0, 4));
    }

    [Fact]
    public async Task Counter_LosesNoUpdate_WhenSendersFinishTogether()
    {
        for (var run = 0; run < 20; run++)
        {
            var (context, _) = await GraphRuns.CompleteAsync(ThrottledNotify.Create(), new { delayMs = 0 });

            Assert.Equal(10, context["sent"]!.GetValue<int>());
        }
    }
}
