using System.Buffers.Text;
using System.Text;

namespace Workflows.Benchmarks.Http;

/// <summary>
/// A lean parser of one HTTP/1.1 Server-Sent-Events response as it comes off a socket: the status line and headers,
/// the chunked (or close-delimited) body, and the SSE fields of every line (<c>id</c>, <c>event</c>, <c>data</c>,
/// comments), handing each complete frame to a <see cref="FrameHandler"/> the moment its closing blank line is read.
/// </summary>
/// <remarks>
/// The benchmark's subscribers share the machine's cores with the server, so the reader allocates nothing per frame
/// (event names are interned, data is kept in a reused buffer) and never copies a line that arrived whole.
/// </remarks>
internal sealed class SseWireReader
{
    /// <summary>A frame: its id, its event name, its data (lines joined by <c>\n</c>), valid only during the call.</summary>
    public delegate void FrameHandler(long id, string eventType, ReadOnlySpan<byte> data);

    private enum Phase { Head, ChunkSize, ChunkData, ChunkEnd, Identity, Done }

    private readonly FrameHandler _frameParsed;
    private readonly List<(byte[] Utf8, string Text)> _eventNames = [];
    private byte[] _pending = new byte[1024]; // a header block or a line split across reads
    private int _pendingLength;
    private byte[] _data = new byte[1024];
    private int _dataLength;
    private bool _hasData;
    private Phase _phase = Phase.Head;
    private long _chunkLeft;
    private long _id = -1;
    private string _event = "message";

    public SseWireReader(FrameHandler frameParsed) => _frameParsed = frameParsed;

    /// <summary>The <c>: comment</c> lines read (keep-alives).</summary>
    public int Comments { get; private set; }

    /// <summary>The response's status code, once the head has been read (0 before).</summary>
    public int StatusCode { get; private set; }

    /// <summary>True once the body's last chunk has been read.</summary>
    public bool Ended => _phase == Phase.Done;

    /// <summary>True when the body is delimited by the connection's close (no chunked encoding).</summary>
    public bool EndsAtClose => _phase == Phase.Identity;

    /// <summary>Parses received bytes; frames completed by them are handed over before it returns.</summary>
    public void Feed(ReadOnlySpan<byte> received)
    {
        while (!received.IsEmpty && _phase != Phase.Done)
        {
            switch (_phase)
            {
                case Phase.Head:
                    received = ReadHead(received);
                    break;
                case Phase.ChunkSize:
                    received = ReadChunkSize(received);
                    break;
                case Phase.ChunkData:
                    var take = (int)Math.Min(_chunkLeft, received.Length);
                    ReadBody(received[..take]);
                    received = received[take..];
                    _chunkLeft -= take;
                    if (_chunkLeft == 0)
                    {
                        _phase = Phase.ChunkEnd;
                        _chunkLeft = 2; // CRLF after the data
                    }
                    break;
                case Phase.ChunkEnd:
                    var skip = (int)Math.Min(_chunkLeft, received.Length);
                    received = received[skip..];
                    _chunkLeft -= skip;
                    if (_chunkLeft == 0)
                    {
                        _phase = Phase.ChunkSize;
                    }
                    break;
                case Phase.Identity:
                    ReadBody(received);
                    received = default;
                    break;
            }
        }
    }

    private ReadOnlySpan<byte> ReadHead(ReadOnlySpan<byte> received)
    {
        Append(ref _pending, ref _pendingLength, received);
        var head = _pending.AsSpan(0, _pendingLength);
        var end = head.IndexOf("\r\n\r\n"u8);
        if (end < 0)
        {
            return default;
        }
        var text = Encoding.ASCII.GetString(head[..end]);
        var lines = text.Split("\r\n");
        var status = lines[0].Split(' ');
        StatusCode = status.Length > 1 && int.TryParse(status[1], out var code) ? code : throw new InvalidDataException($"Not an HTTP status line: {lines[0]}");
        var chunked = lines.Skip(1).Any(l => l.StartsWith("transfer-encoding:", StringComparison.OrdinalIgnoreCase) && l.Contains("chunked", StringComparison.OrdinalIgnoreCase));
        _phase = chunked ? Phase.ChunkSize : Phase.Identity;
        var rest = head[(end + 4)..].ToArray(); // what followed the head in the same read
        _pendingLength = 0;
        return rest;
    }

    private ReadOnlySpan<byte> ReadChunkSize(ReadOnlySpan<byte> received)
    {
        var newline = received.IndexOf((byte)'\n');
        if (newline < 0)
        {
            Append(ref _pending, ref _pendingLength, received);
            return default;
        }
        Append(ref _pending, ref _pendingLength, received[..newline]);
        var line = _pending.AsSpan(0, _pendingLength).TrimEnd((byte)'\r');
        var extension = line.IndexOf((byte)';');
        if (extension >= 0)
        {
            line = line[..extension];
        }
        if (!Utf8Parser.TryParse(line, out long size, out var used, 'X') || used != line.Length)
        {
            throw new InvalidDataException($"Bad chunk size line: {Encoding.ASCII.GetString(line)}");
        }
        _pendingLength = 0;
        _chunkLeft = size;
        _phase = size == 0 ? Phase.Done : Phase.ChunkData;
        return received[(newline + 1)..];
    }

    /// <summary>Body bytes: complete lines are parsed where they lie; a line cut by the read waits in the buffer.</summary>
    private void ReadBody(ReadOnlySpan<byte> body)
    {
        while (!body.IsEmpty)
        {
            var newline = body.IndexOf((byte)'\n');
            if (newline < 0)
            {
                Append(ref _pending, ref _pendingLength, body);
                return;
            }
            if (_pendingLength > 0)
            {
                Append(ref _pending, ref _pendingLength, body[..newline]);
                ReadLine(_pending.AsSpan(0, _pendingLength));
                _pendingLength = 0;
            }
            else
            {
                ReadLine(body[..newline]);
            }
            body = body[(newline + 1)..];
        }
    }

    private void ReadLine(ReadOnlySpan<byte> line)
    {
        line = line.TrimEnd((byte)'\r');
        if (line.IsEmpty)
        {
            if (_hasData)
            {
                _frameParsed(_id, _event, _data.AsSpan(0, _dataLength));
            }
            _hasData = false;
            _dataLength = 0;
            _event = "message";
            return;
        }
        if (line[0] == (byte)':')
        {
            Comments++;
            return;
        }
        var colon = line.IndexOf((byte)':');
        var field = colon < 0 ? line : line[..colon];
        var value = colon < 0 ? default : line[(colon + 1)..];
        if (!value.IsEmpty && value[0] == (byte)' ')
        {
            value = value[1..];
        }
        if (field.SequenceEqual("data"u8))
        {
            if (_hasData)
            {
                Append(ref _data, ref _dataLength, "\n"u8);
            }
            Append(ref _data, ref _dataLength, value);
            _hasData = true;
        }
        else if (field.SequenceEqual("id"u8))
        {
            _id = Utf8Parser.TryParse(value, out long id, out var used) && used == value.Length
                ? id : throw new InvalidDataException($"Bad id: {Encoding.UTF8.GetString(value)}");
        }
        else if (field.SequenceEqual("event"u8))
        {
            _event = EventName(value);
        }
    }

    private string EventName(ReadOnlySpan<byte> utf8)
    {
        foreach (var (known, text) in _eventNames)
        {
            if (utf8.SequenceEqual(known))
            {
                return text;
            }
        }
        var name = Encoding.UTF8.GetString(utf8);
        _eventNames.Add((utf8.ToArray(), name));
        return name;
    }

    private static void Append(ref byte[] buffer, ref int length, ReadOnlySpan<byte> bytes)
    {
        if (length + bytes.Length > buffer.Length)
        {
            Array.Resize(ref buffer, Math.Max(buffer.Length * 2, length + bytes.Length));
        }
        bytes.CopyTo(buffer.AsSpan(length));
        length += bytes.Length;
    }
}
