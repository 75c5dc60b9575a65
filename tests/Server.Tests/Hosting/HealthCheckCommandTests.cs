using Workflows.Server.Hosting;

namespace Workflows.Server.Tests.Hosting;

public sealed class HealthCheckCommandTests
{
    [Fact]
    public void IsRequested_FlagFirst_True() =>
        Assert.True(HealthCheckCommand.IsRequested(["--healthcheck", "http://127.0.0.1:1/health"]));

    [Fact]
    public void IsRequested_NoFlag_False() =>
        Assert.False(HealthCheckCommand.IsRequested(["--urls", "http://127.0.0.1:5080"]));

    [Fact]
    public async Task RunAsync_NothingListening_Returns1()
    {
        // Port 1 on the loopback: refused at once, no network involved.
        Assert.Equal(1, await HealthCheckCommand.RunAsync(["--healthcheck", "http://127.0.0.1:1/health"]));
    }
}
