namespace Workflows.Engine.Tests.Steps;

/// <summary>RetryPolicy: delays between attempts and which errors are retried.</summary>
public sealed class RetryPolicyTests
{
    [Fact]
    public void DelayAfter_Exponential_DoublesFromInitialInterval()
    {
        // Arrange
        var policy = new RetryPolicy { InitialInterval = TimeSpan.FromMilliseconds(100), Backoff = BackoffKind.Exponential, BackoffCoefficient = 2 };

        // Act
        var delays = Enumerable.Range(1, 4).Select(policy.DelayAfter).ToArray();

        // Assert
        Assert.Equal([100, 200, 400, 800], delays.Select(d => d.TotalMilliseconds).ToArray());
    }

    [Fact]
    public void DelayAfter_ExponentialWithCoefficientThree_MultipliesByThree()
    {
        // Arrange
        var policy = new RetryPolicy { InitialInterval = TimeSpan.FromMilliseconds(10), BackoffCoefficient = 3 };

        // Act
        var delays = Enumerable.Range(1, 3).Select(policy.DelayAfter).ToArray();

        // Assert
        Assert.Equal([10, 30, 90], delays.Select(d => d.TotalMilliseconds).ToArray());
    }

    [Fact]
    public void DelayAfter_ExponentialWithMaximumInterval_IsCapped()
    {
        // Arrange
        var policy = new RetryPolicy { InitialInterval = TimeSpan.FromMilliseconds(100), MaximumInterval = TimeSpan.FromMilliseconds(300) };

        // Act
        var delays = Enumerable.Range(1, 5).Select(policy.DelayAfter).ToArray();

        // Assert
        Assert.Equal([100, 200, 300, 300, 300], delays.Select(d => d.TotalMilliseconds).ToArray());
    }

    [Fact]
    public void DelayAfter_NoMaximumInterval_CappedAtHundredTimesInitial()
    {
        // Arrange
        var policy = new RetryPolicy { InitialInterval = TimeSpan.FromSeconds(1) };

        // Act
        var seventh = policy.DelayAfter(7); // 64 s
        var eighth = policy.DelayAfter(8); // 128 s uncapped
        var fiftieth = policy.DelayAfter(50);

        // Assert
        Assert.Equal(TimeSpan.FromSeconds(64), seventh);
        Assert.Equal(TimeSpan.FromSeconds(100), eighth);
        Assert.Equal(TimeSpan.FromSeconds(100), fiftieth);
    }

    [Fact]
    public void DelayAfter_Fixed_AlwaysInitialInterval()
    {
        // Arrange
        var policy = new RetryPolicy { InitialInterval = TimeSpan.FromMilliseconds(10), Backoff = BackoffKind.Fixed };

        // Act
        var delays = Enumerable.Range(1, 5).Select(policy.DelayAfter).Distinct().ToArray();

        // Assert
        Assert.Equal([TimeSpan.FromMilliseconds(10)], delays);
    }

    [Fact]
    public void ShouldRetry_AttemptsLeftAndNoFilter_RetriesAnyButCancellation()
    {
        // Arrange
        var policy = new RetryPolicy { MaximumAttempts = 3 };

        // Act / Assert
        Assert.True(policy.ShouldRetry(1, new IOException()));
        Assert.True(policy.ShouldRetry(2, new InvalidOperationException()));
        Assert.False(policy.ShouldRetry(3, new IOException()));
        Assert.False(policy.ShouldRetry(1, new OperationCanceledException()));
    }

    [Fact]
    public void ShouldRetry_RetryOnFilter_MatchesTypeAndDerivedTypesOnly()
    {
        // Arrange
        var policy = new RetryPolicy { MaximumAttempts = 5, RetryOn = [typeof(IOException)] };

        // Act / Assert
        Assert.True(policy.ShouldRetry(1, new IOException()));
        Assert.True(policy.ShouldRetry(1, new FileNotFoundException()));
        Assert.False(policy.ShouldRetry(1, new InvalidOperationException()));
    }

    [Fact]
    public void RetryAttribute_ToPolicy_CopiesEverySetting()
    {
        // Arrange
        var attribute = new RetryAttribute(4)
        {
            InitialIntervalMs = 25,
            Backoff = BackoffKind.Fixed,
            BackoffCoefficient = 1.5,
            MaximumIntervalMs = 70,
            RetryOn = [typeof(IOException)],
        };

        // Act
        var policy = attribute.ToPolicy();

        // Assert
        Assert.Equal(4, policy.MaximumAttempts);
        Assert.Equal(TimeSpan.FromMilliseconds(25), policy.InitialInterval);
        Assert.Equal(BackoffKind.Fixed, policy.Backoff);
        Assert.Equal(1.5, policy.BackoffCoefficient);
        Assert.Equal(TimeSpan.FromMilliseconds(70), policy.MaximumInterval);
        Assert.Equal([typeof(IOException)], policy.RetryOn);
        Assert.Null(new RetryAttribute(2).ToPolicy().MaximumInterval);
        Assert.Equal(1, RetryPolicy.None.MaximumAttempts);
    }
}
