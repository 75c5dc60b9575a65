using Workflows.Server.Tests.Support;

namespace Workflows.Server.Tests.Streaming;

/// <summary>An open event stream does not hold the server's shutdown up: it ends, and the client may resume elsewhere.</summary>
public sealed class ServerShutdownTests
{
    [Fact]
    public async Task Stop_WhileAStreamWaitsForItems_EndsTheStreamPromptly()
    {
        var ct = Patience.Token();
        var server = new KestrelServerFactory();
        var client = server.CreateStreamingClient();
        var id = await client.StartAsync("human_review", """{"input": {"document": "Q3 report"}}""");
        await server.Engine.WaitForItemAsync(id, RunItemTypes.RunWaiting);
        await using var stream = await SseClient.OpenAsync(client, id, cancellationToken: ct);
        while (await stream.NextAsync(ct) is { } frame && frame.Event != RunItemTypes.RunWaiting)
        {
        }

        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        await server.DisposeAsync();
        var after = await stream.ReadToEndAsync(ct);

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"Stopping took {stopwatch.Elapsed}.");
        Assert.Empty(after);
    }
}
