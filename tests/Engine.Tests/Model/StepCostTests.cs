using Workflows.Model;

namespace Workflows.Engine.Tests.Model;

/// <summary>When a step counts as cheap: enough fast invocations in a row; one slow one and it starts over.</summary>
public sealed class StepCostTests
{
    private static readonly TimeSpan Fast = StepCost.CheapBelow - TimeSpan.FromMicroseconds(1);

    [Fact]
    public void Observe_OneShortOfTheEvidence_NotCheap()
    {
        // Arrange
        var cost = new StepCost();

        // Act
        for (var i = 0; i < StepCost.Evidence - 1; i++)
        {
            cost.Observe(Fast);
        }

        // Assert
        Assert.False(cost.IsCheap);
        cost.Observe(Fast);
        Assert.True(cost.IsCheap);
    }

    [Fact]
    public void Observe_OneSlowInvocation_StartsOver()
    {
        // Arrange
        var cost = new StepCost();
        for (var i = 0; i < StepCost.Evidence; i++)
        {
            cost.Observe(Fast);
        }

        // Act
        cost.Observe(StepCost.CheapBelow);

        // Assert
        Assert.False(cost.IsCheap);
        for (var i = 0; i < StepCost.Evidence - 1; i++)
        {
            cost.Observe(Fast);
        }
        Assert.False(cost.IsCheap);
        cost.Observe(Fast);
        Assert.True(cost.IsCheap);
    }
}
