using Workflows.Model;

namespace Workflows.Engine.Tests.Model;

/// <summary>Default names of steps and workflows.</summary>
public sealed class StepNamesTests
{
    [Theory]
    [InlineData("StepTwoAsync", "step_two")]
    [InlineData("Begin", "begin")]
    [InlineData("Async", "async")]
    [InlineData("ParseHTTPRequest", "parse_http_request")]
    [InlineData("Step2Go", "step2_go")]
    public void FromMethod_PascalCase_SnakeCaseWithoutAsync(string method, string expected)
    {
        // Act
        var name = StepNames.FromMethod(method);

        // Assert
        Assert.Equal(expected, name);
    }
}
