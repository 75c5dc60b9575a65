using System.Text;
using Workflows.Server.Endpoints.Streaming;

namespace Workflows.Server.Tests.Streaming;

/// <summary>The bytes of an SSE frame, and the copy shared by every subscriber of a run.</summary>
public sealed class SseFramesTests
{
    private const string Json = """{"eventType":null,"type":"step.started","step":"send_email","worker":0,"attempt":1,"group":null,"sequence":4,"timestamp":"2026-01-02T03:04:05.1234567+00:00","runId":"r1"}""";

    [Fact]
    public void Encode_OneLineJson_IdEventDataWithInstanceIdFirstThenBlankLine()
    {
        var bytes = SseFrames.Encode(new RunFrame(4, "step.started", Json), "r1");

        Assert.Equal(
            "id: 4\nevent: step.started\n" +
            """data: {"instanceId":"r1","eventType":null,"type":"step.started","step":"send_email","worker":0,"attempt":1,"group":null,"sequence":4,"timestamp":"2026-01-02T03:04:05.1234567+00:00","runId":"r1"}""" +
            "\n\n",
            Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void Encode_MultiLineJson_OneDataLinePerLine()
    {
        var bytes = SseFrames.Encode(new RunFrame(2, "stream", "{\r\n  \"a\": \"é\"\r\n}"), "r\"1");

        Assert.Equal("id: 2\nevent: stream\ndata: {\"instanceId\":\"r\\u00221\",\ndata:   \"a\": \"é\"\ndata: }\n\n", Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void Encode_EmptyObject_OnlyInstanceId()
    {
        var bytes = SseFrames.Encode(new RunFrame(1, "x", "{}"), "r1");

        Assert.Equal("id: 1\nevent: x\ndata: {\"instanceId\":\"r1\"}\n\n", Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void Shared_SameFrame_EncodedOnceAndIdenticalToEncode()
    {
        var frame = new RunFrame(4, "step.started", Json);

        var first = SseFrames.Shared(frame, "r1");
        var second = SseFrames.Shared(frame, "r1");

        Assert.Same(first, second);
        Assert.Equal(SseFrames.Encode(frame, "r1"), first);
    }

    [Fact]
    public void Shared_EqualButDistinctFrames_EachGetsItsOwnBytes()
    {
        // Frames read from the store are new instances per reader: equal records must not be confused with each other.
        var one = new RunFrame(1, "x", "{}");
        var two = new RunFrame(1, "x", "{}");

        var fromOne = SseFrames.Shared(one, "r1");
        var fromTwo = SseFrames.Shared(two, "r2");

        Assert.Equal("id: 1\nevent: x\ndata: {\"instanceId\":\"r1\"}\n\n", Encoding.UTF8.GetString(fromOne));
        Assert.Equal("id: 1\nevent: x\ndata: {\"instanceId\":\"r2\"}\n\n", Encoding.UTF8.GetString(fromTwo));
    }
}
