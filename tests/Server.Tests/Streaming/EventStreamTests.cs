using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Definitions.EventDriven;
using Workflows.Definitions.Graph;
using Workflows.Server.Tests.Doubles;
using Workflows.Server.Tests.Support;

namespace Workflows.Server.Tests.Streaming;

/// <summary>
/// <c>GET /api/instances/{id}/events</c> as Server-Sent Events, over a real Kestrel connection: history then live
/// items, resume without gap or duplicate, several subscribers, the end of the stream, keep-alive comments.
/// </summary>
public sealed class EventStreamTests(KestrelServerFactory server) : IClassFixture<KestrelServerFactory>
{
    private readonly HttpClient _client = server.CreateStreamingClient();

    /// <summary>Long enough that a subscriber connects while the senders are still running.</summary>
    private const string SlowNotify = """{"input": {"delaysMs": {"email": 1000, "slack": 700, "sms": 850}}}""";

    [Fact]
    public void Fixture_Always_ServesOverKestrelOnAFreeLoopbackPort()
    {
        var addresses = server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;

        Assert.Contains("Kestrel", server.Services.GetRequiredService<IServer>().GetType().Name, StringComparison.Ordinal);
        var address = new Uri(Assert.Single(addresses));
        Assert.True(address.IsLoopback);
        Assert.NotEqual(5080, address.Port);
        Assert.Equal(address.Port, _client.BaseAddress!.Port);
    }

    [Fact]
    public async Task Stream_SubscribedMidRun_SendsTheWholeHistoryThenLiveItemsThenCloses()
    {
        var ct = Patience.Token();
        var id = await _client.StartAsync(ParallelNotify.Name, SlowNotify);
        await server.Engine.WaitForItemAsync(id, RunItemTypes.StepStarted);

        await using var stream = await SseClient.OpenAsync(_client, id, cancellationToken: ct);
        var frames = await stream.ReadToEndAsync(ct);

        Assert.Equal("no-cache", stream.Response.Headers.CacheControl?.ToString());
        Assert.Equal(Enumerable.Range(1, frames.Count).Select(i => (long)i), frames.Select(f => f.Id));
        Assert.Equal(RunItemTypes.RunStarted, frames[0].Event);
        Assert.Equal(RunItemTypes.RunCompleted, frames[^1].Event);
        Assert.Equal(3, frames.Count(f => f.Event == RunItemTypes.StepStarted && f.Json.GetProperty("step").GetString()!.StartsWith("send_", StringComparison.Ordinal)));
        foreach (var frame in frames)
        {
            var data = frame.Json;
            Assert.Equal(id, data.GetProperty("instanceId").GetString());
            Assert.Equal(frame.Id, data.GetProperty("sequence").GetInt64());
            Assert.Equal(frame.Event, data.GetProperty("type").GetString());
            Assert.True(data.TryGetProperty("timestamp", out _));
            if (frame.Event.StartsWith("step.", StringComparison.Ordinal))
            {
                Assert.False(string.IsNullOrEmpty(data.GetProperty("step").GetString()));
                Assert.True(data.GetProperty("attempt").GetInt32() >= 1);
                Assert.True(data.GetProperty("worker").GetInt32() >= 0);
                Assert.True(data.TryGetProperty("group", out _));
            }
        }
        // Live: items recorded after the subscriber connected came through the same stream.
        var completedAt = frames[^1].Json.GetProperty("timestamp").GetDateTimeOffset();
        Assert.True(completedAt > frames[0].Json.GetProperty("timestamp").GetDateTimeOffset().AddMilliseconds(250));
    }

    [Fact]
    public async Task Stream_GroupMembers_ReportTheirOwnStepAndTheirGroup()
    {
        var ct = Patience.Token();
        var id = await _client.StartAsync(RaceFetch.Name, """{"input": {"fastDelayMs": 5, "reliableDelayMs": 200}}""");

        await using var stream = await SseClient.OpenAsync(_client, id, cancellationToken: ct);
        var frames = await stream.ReadToEndAsync(ct);

        var members = frames.Where(f => f.Event == RunItemTypes.StepStarted && f.Json.GetProperty("step").GetString()!.EndsWith("_source", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, members.Length);
        Assert.All(members, m => Assert.Equal("fetch_race", m.Json.GetProperty("group").GetString()));
        Assert.Contains(frames, f => f.Event == RunItemTypes.StepCanceled);
        Assert.Equal(RunItemTypes.RunCompleted, frames[^1].Event);
    }

    [Fact]
    public async Task Stream_ReconnectWithLastEventId_ResumesWithoutGapOrDuplicate()
    {
        var ct = Patience.Token();
        var id = await _client.StartAsync(ParallelNotify.Name, SlowNotify);
        var first = new List<SseFrame>();
        await using (var stream = await SseClient.OpenAsync(_client, id, cancellationToken: ct))
        {
            while (first.Count < 4 && await stream.NextAsync(ct) is { } frame)
            {
                first.Add(frame);
            }
        } // disconnect mid-run

        Assert.False(server.Engine.FindRun(id)!.Status.IsTerminal());
        await using var resumed = await SseClient.OpenAsync(_client, id, lastEventId: first[^1].Id, cancellationToken: ct);
        var rest = await resumed.ReadToEndAsync(ct);

        var all = first.Concat(rest).Select(f => f.Id).ToArray();
        Assert.Equal(Enumerable.Range(1, all.Length).Select(i => (long)i), all);
        Assert.Equal(first[^1].Id + 1, rest[0].Id);
        Assert.Equal(RunItemTypes.RunCompleted, rest[^1].Event);
    }

    [Fact]
    public async Task Stream_AfterQueryParameter_ResumesAfterThatSequence()
    {
        var ct = Patience.Token();
        var id = await _client.StartAsync(ParallelNotify.Name, """{"input": {"delaysMs": {"email": 5, "slack": 5, "sms": 5}}}""");
        await server.Engine.WaitForEndAsync(id);

        await using var stream = await SseClient.OpenAsync(_client, id, query: "?after=3", cancellationToken: ct);
        var frames = await stream.ReadToEndAsync(ct);

        Assert.Equal(4, frames[0].Id);
        Assert.Equal(Enumerable.Range(4, frames.Count).Select(i => (long)i), frames.Select(f => f.Id));
    }

    [Fact]
    public async Task Stream_LastEventIdAndAfterBothSent_LastEventIdWins()
    {
        var ct = Patience.Token();
        var id = await _client.StartAsync(ParallelNotify.Name, """{"input": {"delaysMs": {"email": 5, "slack": 5, "sms": 5}}}""");
        await server.Engine.WaitForEndAsync(id);

        await using var stream = await SseClient.OpenAsync(_client, id, lastEventId: 5, query: "?after=2", cancellationToken: ct);
        var frames = await stream.ReadToEndAsync(ct);

        Assert.Equal(6, frames[0].Id);
    }

    [Fact]
    public async Task Stream_TwoSubscribers_SeeIdenticalStreams()
    {
        var ct = Patience.Token();
        var id = await _client.StartAsync(ParallelNotify.Name, SlowNotify);

        await using var one = await SseClient.OpenAsync(_client, id, cancellationToken: ct);
        await using var two = await SseClient.OpenAsync(server.CreateStreamingClient(), id, cancellationToken: ct);
        var frames = await Task.WhenAll(one.ReadToEndAsync(ct), two.ReadToEndAsync(ct));

        Assert.Equal(frames[0], frames[1]);
        Assert.Equal(RunItemTypes.RunCompleted, frames[0][^1].Event);
    }

    [Fact]
    public async Task Stream_RunFails_ClosesAfterRunFailed()
    {
        var ct = Patience.Token();
        var id = await _client.StartAsync("human_review", """{"input": {}}""");

        await using var stream = await SseClient.OpenAsync(_client, id, cancellationToken: ct);
        var frames = await stream.ReadToEndAsync(ct);

        Assert.Equal(RunItemTypes.RunFailed, frames[^1].Event);
        Assert.Equal("request_review", frames[^1].Json.GetProperty("error").GetProperty("step").GetString());
    }

    [Fact]
    public async Task Stream_RunTimesOut_ClosesAfterRunTimedOut()
    {
        var ct = Patience.Token();
        var id = await _client.StartAsync(TimesOutWorkflow.WorkflowName);

        await using var stream = await SseClient.OpenAsync(_client, id, cancellationToken: ct);
        var frames = await stream.ReadToEndAsync(ct);

        Assert.Equal(RunItemTypes.RunTimedOut, frames[^1].Event);
    }

    [Fact]
    public async Task Stream_RunCanceledThroughTheApi_ClosesAfterRunCanceled()
    {
        var ct = Patience.Token();
        var id = await _client.StartAsync(ParallelNotify.Name, """{"input": {"delaysMs": {"email": 60000, "slack": 60000, "sms": 60000}}}""");
        await using var stream = await SseClient.OpenAsync(_client, id, cancellationToken: ct);
        var reading = stream.ReadToEndAsync(ct);
        await server.Engine.WaitForItemAsync(id, RunItemTypes.StepStarted);

        using var cancel = await _client.PostAsync($"/api/instances/{id}/cancel", Api.Json("""{"reason": "test"}"""), ct);
        var frames = await reading;

        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.Equal(RunItemTypes.RunCanceled, frames[^1].Event);
        Assert.Equal("test", frames[^1].Json.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Stream_RunSilent_SendsKeepAliveComments()
    {
        var ct = Patience.Token();
        var id = await _client.StartAsync("human_review", """{"input": {"document": "Q3 report"}}""");
        await server.Engine.WaitForItemAsync(id, RunItemTypes.RunWaiting);

        await using (var stream = await SseClient.OpenAsync(_client, id, cancellationToken: ct))
        {
            // The history, then silence while the run waits for a person: the reader sees comments.
            using var quiet = CancellationTokenSource.CreateLinkedTokenSource(ct);
            quiet.CancelAfter(TimeSpan.FromSeconds(KestrelServerFactory.KeepAliveSeconds * 8));
            try
            {
                while (stream.Comments.Count < 2 && await stream.NextAsync(quiet.Token) is not null)
                {
                }
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                // The test's own bound on the silence.
            }
            Assert.Contains(": keep-alive", stream.Comments);
        }
        server.Engine.FindRun(id)!.Cancel("test over");
    }

    [Fact]
    public async Task Stream_ReaderNeverReads_RunStillCompletes()
    {
        var ct = Patience.Token();
        var id = await _client.StartAsync(ParallelNotify.Name, """{"input": {"delaysMs": {"email": 50, "slack": 50, "sms": 50}}}""");

        await using var idle = await SseClient.OpenAsync(_client, id, cancellationToken: ct);
        var outcome = await server.Engine.WaitForEndAsync(id);

        Assert.Equal(RunStatus.Completed, outcome.Status);
    }

    [Fact]
    public async Task Stream_FinishedRunNothingAfterCursor_Returns204()
    {
        var ct = Patience.Token();
        var id = await _client.StartAsync(GreeterWorkflow.WorkflowName);
        await server.Engine.WaitForEndAsync(id);
        var last = server.Engine.FindRun(id)!.Items.Last!.Sequence;

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/instances/{id}/events");
        request.Headers.Accept.ParseAdd("text/event-stream");
        request.Headers.Add("Last-Event-ID", last.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var response = await _client.SendAsync(request, ct);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }
}
