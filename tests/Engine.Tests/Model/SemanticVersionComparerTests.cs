using Workflows.Model;

namespace Workflows.Engine.Tests.Model;

/// <summary>Semantic version ordering: numeric parts as numbers, a pre-release before its release.</summary>
public sealed class SemanticVersionComparerTests
{
    [Theory]
    [InlineData("1.10.0", "1.9.0")]
    [InlineData("2.0.0", "1.99.99")]
    [InlineData("1.0.0", "1.0.0-beta")]
    [InlineData("1.0.0-beta", "1.0.0-alpha")]
    [InlineData("1.0.1", "1.0")]
    public void Compare_Greater_IsPositiveAndAntisymmetric(string greater, string smaller)
    {
        // Act
        var forward = SemanticVersionComparer.Instance.Compare(greater, smaller);
        var backward = SemanticVersionComparer.Instance.Compare(smaller, greater);

        // Assert
        Assert.True(forward > 0);
        Assert.True(backward < 0);
    }

    [Fact]
    public void Sort_MixedVersions_SemanticOrder()
    {
        // Arrange
        string[] versions = ["1.10.0", "1.2.0", "1.9.0", "1.0.0-rc.1", "1.0.0", "10.0.0"];

        // Act
        var sorted = versions.Order(SemanticVersionComparer.Instance).ToArray();

        // Assert
        Assert.Equal(["1.0.0-rc.1", "1.0.0", "1.2.0", "1.9.0", "1.10.0", "10.0.0"], sorted);
    }
}
