using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Workflows.Server.Endpoints.Streaming;
using Workflows.Server.Tests.Support;

namespace Workflows.Server.Tests.Streaming;

/// <summary>
/// The SSE writer on its own, against a recording response body: the bytes it sends are exactly the frames' encodings
/// in order (frames ready together go out together, a long history in several flushes), what is ready is flushed
/// before it waits, and silence brings keep-alive comments.
/// </summary>
public sealed class RunEventStreamResultTests
{
    [Fact]
    public async Task Execute_LongHistory_SendsEveryFrameByteForByteInSeveralFlushes()
    {
        var ct = Patience.Token();
        var frames = Enumerable.Range(1, 300)
            .Select(i => new RunFrame(i, "step.started", $$"""{"type":"step.started","step":"s{{i}}","sequence":{{i}},"note":"{{new string('x', 100)}}"}"""))
            .ToArray();
        var body = new RecordingStream();

        await new RunEventStreamResult(Yield(frames), "r1", TimeSpan.FromMinutes(1), NullLogger.Instance).ExecuteAsync(Context(body)).WaitAsync(ct);

        var expected = frames.SelectMany(f => SseFrames.Encode(f, "r1")).ToArray();
        Assert.Equal(Encoding.UTF8.GetString(expected), body.Text);
        Assert.True(expected.Length > 2 * RunEventStreamResult.MaxUnflushedBytes);
        Assert.True(body.Flushes >= expected.Length / RunEventStreamResult.MaxUnflushedBytes, $"{body.Flushes} flushes");
    }

    [Fact]
    public async Task Execute_NextItemLate_FlushesWhatIsReadyThenKeepAlivesThenTheItem()
    {
        var ct = Patience.Token();
        var first = new RunFrame(1, "run.started", """{"type":"run.started","sequence":1}""");
        var last = new RunFrame(2, "run.completed", """{"type":"run.completed","sequence":2}""");
        var body = new RecordingStream();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        async IAsyncEnumerable<RunFrame> Frames()
        {
            yield return first;
            await release.Task;
            yield return last;
        }

        var writing = new RunEventStreamResult(Frames(), "r1", TimeSpan.FromMilliseconds(20), NullLogger.Instance).ExecuteAsync(Context(body));
        var sentBeforeTheWait = await body.WaitForTextAsync(": keep-alive\n\n", ct);
        release.SetResult();
        await writing.WaitAsync(ct);

        var firstText = Encoding.UTF8.GetString(SseFrames.Encode(first, "r1"));
        var lastText = Encoding.UTF8.GetString(SseFrames.Encode(last, "r1"));
        Assert.StartsWith(firstText + ": keep-alive\n\n", sentBeforeTheWait, StringComparison.Ordinal);
        Assert.StartsWith(firstText, body.Text, StringComparison.Ordinal);
        Assert.EndsWith(lastText, body.Text, StringComparison.Ordinal);
        Assert.Matches("^(: keep-alive\n\n)+$", body.Text[firstText.Length..^lastText.Length]);
    }

    private static HttpContext Context(Stream body)
    {
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().BuildServiceProvider() };
        context.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(body));
        return context;
    }

    private static async IAsyncEnumerable<RunFrame> Yield(IEnumerable<RunFrame> frames)
    {
        await Task.Yield();
        foreach (var frame in frames)
        {
            yield return frame;
        }
    }

    /// <summary>A response body that keeps what reaches it, counts flushes and lets a test wait for some text.</summary>
    private sealed class RecordingStream : Stream
    {
        private readonly MemoryStream _bytes = new();
        private readonly Lock _gate = new();
        private readonly List<(string Text, TaskCompletionSource<string> Seen)> _waiters = [];

        public int Flushes { get; private set; }

        public string Text
        {
            get
            {
                lock (_gate)
                {
                    return Encoding.UTF8.GetString(_bytes.ToArray());
                }
            }
        }

        public Task<string> WaitForTextAsync(string text, CancellationToken cancellationToken)
        {
            var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_gate)
            {
                _waiters.Add((text, seen));
            }
            Check();
            return seen.Task.WaitAsync(cancellationToken);
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            lock (_gate)
            {
                _bytes.Write(buffer, offset, count);
            }
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Write(buffer, offset, count);
            return Task.CompletedTask;
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            lock (_gate)
            {
                _bytes.Write(buffer.Span);
            }
            return ValueTask.CompletedTask;
        }

        public override void Flush()
        {
            Flushes++;
            Check();
        }

        public override Task FlushAsync(CancellationToken cancellationToken)
        {
            Flush();
            return Task.CompletedTask;
        }

        private void Check()
        {
            var text = Text;
            lock (_gate)
            {
                foreach (var waiter in _waiters.Where(w => text.Contains(w.Text, StringComparison.Ordinal)).ToArray())
                {
                    waiter.Seen.TrySetResult(text);
                    _waiters.Remove(waiter);
                }
            }
        }

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
