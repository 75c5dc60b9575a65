namespace Workflows.Server.Tests.Support;

/// <summary>The bound on everything a test waits for: generous, so that a slow machine is not a failure, but finite.</summary>
public static class Patience
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    public static CancellationToken Token() => new CancellationTokenSource(Timeout).Token;
}
