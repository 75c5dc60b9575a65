using System.Net;
using Workflows.Server.Tests.Doubles;
using Workflows.Server.Tests.Support;

namespace Workflows.Server.Tests.Security;

/// <summary>Run starts are rate-limited per caller: over the burst, 429 with Retry-After; other callers are not affected.</summary>
public sealed class RateLimitTests : IDisposable
{
    private readonly SecureServerFactory _factory = new();

    public RateLimitTests()
    {
        // Two starts at once, then one every 100 s: the third start within the test is over the limit.
        _factory.Settings["Workflows:Server:RunStartBurst"] = "2";
        _factory.Settings["Workflows:Server:RunStartsPerSecond"] = "0.01";
    }

    [Fact]
    public async Task Starts_OverTheBurst_Answer429WithRetryAfter_PerKey()
    {
        using var starter = _factory.CreateClient(SecureServerFactory.StarterKey);
        using var admin = _factory.CreateClient(SecureServerFactory.AdminKey);
        var body = """{"input": {"name": "Ada"}}""";

        using var first = await starter.PostStartAsync(GreeterWorkflow.WorkflowName, body);
        using var second = await starter.PostStartAsync(GreeterWorkflow.WorkflowName, body);
        using var third = await starter.PostStartAsync(GreeterWorkflow.WorkflowName, body);
        using var otherKey = await admin.PostStartAsync(GreeterWorkflow.WorkflowName, body);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        var problem = await third.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Contains("Retry after", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var retryAfter = third.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value.TotalSeconds, 1, 100);
        Assert.Equal(HttpStatusCode.Created, otherKey.StatusCode);
    }

    [Fact]
    public async Task ReadRoutes_AreNotLimitedByTheStartLimit()
    {
        using var starter = _factory.CreateClient(SecureServerFactory.StarterKey);

        for (var i = 0; i < 5; i++)
        {
            using var response = await starter.GetAsync("/api/workflows", Patience.Token());
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    public void Dispose() => _factory.Dispose();
}
