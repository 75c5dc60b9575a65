using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Workflows.Benchmarks.Http;

/// <summary>
/// <c>sse --url http://127.0.0.1:PORT</c>: how long a run's item takes to reach many Server-Sent-Events subscribers
/// of a running server. For each of <c>--runs</c> runs of the catalogue's <c>parallel_approvals</c> (three human
/// tasks, so the run waits between answers), <c>--subscribers</c> connections follow the run's event stream; once
/// every one of them has the history, the three tasks are completed one after the other (POST
/// <c>/api/tasks/{id}/complete</c>), each answer only after every subscriber has every item the previous one caused.
/// Latency, per subscriber and item caused by an answer: arrival at the subscriber (this process's clock) minus the
/// item's <c>timestamp</c> (the server's clock, stamped when the step finished or the task was answered, before the
/// item was committed); both clocks are the same machine's <c>CLOCK_REALTIME</c>. The same measurement with
/// <c>--baseline</c> subscribers (default 1) first, in the same process against the same server, is the baseline.
/// Each subscriber is one HTTP/1.1 connection on a raw socket with a lean parser (<see cref="SseWireReader"/>): the
/// subscribers share the machine's cores with the server, so a heavy client would inflate the figures.
/// </summary>
internal static class SseLatencyTool
{
    public const string Usage = """
        Usage: dotnet run -c Release --project benchmarks/Engine.Benchmarks -- sse --url http://127.0.0.1:PORT [OPTIONS]

          --url URL           the server (required)
          --subscribers N     concurrent SSE subscribers per run (default 1000)
          --baseline N        subscribers of the baseline pass, measured first (default 1; 0 = no baseline)
          --warmup N          runs with --subscribers before the passes, not measured (default 2): the server's
                              code for a thousand streams is compiled (tiered JIT) before it is timed
          --runs N            runs of parallel_approvals per pass, 3 answers each (default 20)
          --target-ms N       target for the p99 with --subscribers (default 100)
          --server-pid N      the server's process id, to tell its CPU from other processes' (Linux)
        """;

    private const string Workflow = "parallel_approvals";

    /// <summary>The three tasks' answers, by step: valid for their forms (see docs/catalogue.md).</summary>
    private static readonly Dictionary<string, string> s_answers = new(StringComparer.Ordinal)
    {
        ["legal_approval"] = """{"approved": true, "comments": "benchmark"}""",
        ["finance_approval"] = """{"approved": true, "budget_code": "BENCH-1"}""",
        ["security_approval"] = """{"approved": true, "risk_level": "low"}""",
    };

    private static readonly TimeSpan s_patience = TimeSpan.FromSeconds(60);

    public static async Task<int> RunAsync(string[] args)
    {
        Uri? url = null;
        var (subscribers, baseline, runs, targetMs, warmup) = (1000, 1, 20, 100.0, 2);
        int? serverPid = null;
        try
        {
            for (var i = 0; i < args.Length; i++)
            {
                var arg = args[i];
                string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{arg} needs a value.");
                int Count(int minimum) => int.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= minimum
                    ? n : throw new ArgumentException($"{arg} needs an integer >= {minimum}.");
                switch (arg)
                {
                    case "--url":
                        url = Uri.TryCreate(Value(), UriKind.Absolute, out var parsed) ? parsed : throw new ArgumentException("--url needs an absolute URL.");
                        break;
                    case "--subscribers": subscribers = Count(1); break;
                    case "--baseline": baseline = Count(0); break;
                    case "--runs": runs = Count(1); break;
                    case "--warmup": warmup = Count(0); break;
                    case "--target-ms": targetMs = Count(1); break;
                    case "--server-pid": serverPid = Count(1); break;
                    case "-h" or "--help":
                        Console.WriteLine(Usage);
                        return 0;
                    default: throw new ArgumentException($"Unknown option {arg}.");
                }
            }
            if (url is null)
            {
                throw new ArgumentException("--url is required.");
            }
        }
        catch (ArgumentException error)
        {
            await Console.Error.WriteLineAsync(error.Message + Environment.NewLine + Usage);
            return 2;
        }

        // The run's control requests (start, answers, reads). The subscribers have their own sockets (Subscriber).
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = int.MaxValue,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(30),
            AutomaticDecompression = DecompressionMethods.None,
        };
        using var http = new HttpClient(handler) { BaseAddress = url, Timeout = Timeout.InfiniteTimeSpan };
        var inline = Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") == "1";
        Console.WriteLine($"{DateTime.Now:yyyy-MM-dd HH:mm} | .NET {Environment.Version} | {Environment.ProcessorCount} cores | server {url} | " +
            $"{runs} runs of {Workflow} per pass, 3 answers each | subscribers on raw sockets, " +
            (inline ? "completions inline on the socket thread" : "completions on the thread pool (DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 reads leaner)"));

        var passes = new List<PassResult>();
        try
        {
            if (warmup > 0)
            {
                Console.WriteLine($"[sse] warm-up: {warmup} runs with {subscribers:N0} subscribers (not measured)");
                await MeasurePassAsync(http, subscribers, warmup, serverPid).ConfigureAwait(false);
            }
            if (baseline > 0)
            {
                passes.Add(await MeasurePassAsync(http, baseline, runs, serverPid).ConfigureAwait(false));
            }
            passes.Add(await MeasurePassAsync(http, subscribers, runs, serverPid).ConfigureAwait(false));
        }
        catch (Exception error) when (error is HttpRequestException or InvalidOperationException or TimeoutException or JsonException)
        {
            await Console.Error.WriteLineAsync($"sse: {error.GetType().Name}: {error.Message}");
            return 3;
        }

        Console.WriteLine();
        Console.WriteLine("Delivery latency: item timestamp (server, when the step finished / the task was answered) -> frame read by a subscriber");
        Console.WriteLine($"{"subscribers",11}  {"runs",4}  {"items",5}  {"samples",8}  {"median ms",9}  {"p90 ms",7}  {"p99 ms",7}  {"max ms",7}  {"to all, median ms",17}  {"to all, max ms",14}  {"answer POST ms",14}");
        foreach (var pass in passes)
        {
            Console.WriteLine($"{pass.Subscribers,11:N0}  {pass.Runs,4}  {pass.Items,5}  {pass.Latencies.Length,8:N0}  {Percentile(pass.Latencies, 0.50),9:0.0}  " +
                $"{Percentile(pass.Latencies, 0.90),7:0.0}  {Percentile(pass.Latencies, 0.99),7:0.0}  {pass.Latencies[^1],7:0.0}  " +
                $"{Percentile(pass.ToAll, 0.50),17:0.0}  {pass.ToAll[^1],14:0.0}  {Percentile(pass.AnswerPosts, 0.50),14:0.0}");
        }
        var measured = passes[^1];
        var p99 = Percentile(measured.Latencies, 0.99);
        Console.WriteLine($"  by item type, {measured.Subscribers:N0} subscribers: " + string.Join("; ", measured.ByType.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => $"{p.Key} median {Percentile(p.Value, 0.5):0.0} / p99 {Percentile(p.Value, 0.99):0.0} ms ({p.Value.Length:N0})")));
        Console.WriteLine($"  items: stream items caused by the answers (task.completed, step.completed, run.waiting, step.started, ..., run.completed); samples = items x subscribers.");
        Console.WriteLine($"  to all: per item, until the last subscriber had it; answer POST: POST /api/tasks/{{id}}/complete round trip (median).");
        Console.WriteLine($"  the subscribers run in this process, on the server's machine: their reading (and this process's CPU) is part of the figures.");
        foreach (var pass in passes.Where(p => p.Cpu.Length > 0))
        {
            Console.WriteLine($"  {pass.Subscribers:N0} subscribers: {pass.Cpu}.");
        }
        Console.WriteLine($"target p99 < {targetMs:0} ms with {measured.Subscribers:N0} subscribers: {p99:0.0} ms: {(p99 < targetMs ? "met" : "MISSED")}");
        return 0;
    }

    /// <summary>One pass: <paramref name="runs"/> runs, each followed by <paramref name="subscribers"/> streams.</summary>
    private static async Task<PassResult> MeasurePassAsync(HttpClient http, int subscribers, int runs, int? serverPid)
    {
        var load = PassLoad.Sample(serverPid);
        var latencies = new List<double>();
        var toAll = new List<double>();
        var posts = new List<double>();
        var items = 0;
        var (answers, deliveryServerMs, deliveryClientMs) = (0, 0.0, 0.0);
        var byType = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        for (var r = 1; r <= runs; r++)
        {
            var clock = Stopwatch.StartNew();
            var runId = await StartRunAsync(http).ConfigureAwait(false);
            var (history, tasks) = await WaitForTasksAsync(http, runId).ConfigureAwait(false);

            var followers = Enumerable.Range(0, subscribers).Select(_ => new Subscriber(history)).ToArray();
            using var connecting = new SemaphoreSlim(64); // connect in waves: the listen backlog is finite
            var reading = followers.Select(f => f.FollowAsync(http.BaseAddress!, runId, connecting, CancellationToken.None)).ToArray();
            await WaitAllAsync(followers, history, reading, "the history").ConfigureAwait(false);
            var connected = clock.Elapsed;

            foreach (var task in tasks)
            {
                var before = PassLoad.Sample(serverPid);
                var post = Stopwatch.StartNew();
                using var request = new HttpRequestMessage(HttpMethod.Post, $"api/tasks/{task.Id}/complete")
                {
                    Content = new StringContent(s_answers[task.Step], Encoding.UTF8, "application/json"),
                };
                request.Headers.Add("X-User", "bench");
                request.Headers.Add("X-Groups", task.Group);
                using (var answered = await http.SendAsync(request).ConfigureAwait(false))
                {
                    if (answered.StatusCode != HttpStatusCode.OK)
                    {
                        throw new InvalidOperationException($"Completing task {task.Id} ({task.Step}) answered {(int)answered.StatusCode}: {await answered.Content.ReadAsStringAsync().ConfigureAwait(false)}");
                    }
                }
                posts.Add(post.Elapsed.TotalMilliseconds);
                // Every subscriber gets everything this answer caused before the next answer: triggers never overlap.
                var now = await LastSequenceAsync(http, runId).ConfigureAwait(false);
                await WaitAllAsync(followers, now, reading, $"the items of the answer to {task.Step}").ConfigureAwait(false);
                var (serverMs, clientMs) = PassLoad.Sample(serverPid).CpuSince(before);
                deliveryServerMs += serverMs ?? double.NaN;
                deliveryClientMs += clientMs;
                answers++;
            }
            await Task.WhenAll(reading).WaitAsync(s_patience).ConfigureAwait(false); // the server closes each stream after run.completed

            var live = followers.SelectMany(f => f.Frames).ToArray();
            var liveItems = live.Select(x => x.Sequence).Distinct().Count();
            if (followers.Any(f => f.Frames.Count != liveItems))
            {
                throw new InvalidOperationException($"Run {runId}: not every subscriber got the {liveItems} live items.");
            }
            latencies.AddRange(live.Select(x => x.LatencyMs));
            toAll.AddRange(live.GroupBy(x => x.Sequence).Select(g => g.Max(x => x.LatencyMs)));
            foreach (var frame in live)
            {
                (byType.TryGetValue(frame.Type, out var list) ? list : byType[frame.Type] = []).Add(frame.LatencyMs);
            }
            items += liveItems;
            Console.WriteLine($"[sse] {subscribers:N0} subscribers, run {r}/{runs} ({runId}): history of {history} items to all in {connected.TotalMilliseconds:N0} ms; " +
                $"{liveItems} live items; median {Percentile(live.Select(x => x.LatencyMs).Order().ToArray(), 0.5):0.0} ms, " +
                $"max {live.Max(x => x.LatencyMs):0.0} ms");
        }
        var cpu = PassLoad.Sample(serverPid).Since(load) +
            $"; while answers were delivered (POST until every subscriber had its items): server {deliveryServerMs / answers:0.0} ms, " +
            $"this client {deliveryClientMs / answers:0.0} ms of CPU per answer";
        Console.WriteLine($"[sse] {subscribers:N0} subscribers: {cpu}");
        return new PassResult(subscribers, runs, items, cpu, [.. latencies.Order()], [.. toAll.Order()], [.. posts.Order()],
            byType.ToDictionary(p => p.Key, p => p.Value.Order().ToArray()));
    }

    private static async Task<string> StartRunAsync(HttpClient http)
    {
        using var started = await http.PostAsync($"api/workflows/{Workflow}/instances", new StringContent("{}", Encoding.UTF8, "application/json")).ConfigureAwait(false);
        var body = await started.Content.ReadAsStringAsync().ConfigureAwait(false);
        if (started.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"Starting {Workflow} answered {(int)started.StatusCode}: {body}");
        }
        return JsonNode.Parse(body)!["id"]!.GetValue<string>();
    }

    /// <summary>Waits until the run is waiting with its three tasks open; returns its last sequence and the tasks.</summary>
    private static async Task<(long History, IReadOnlyList<OpenTask> Tasks)> WaitForTasksAsync(HttpClient http, string runId)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < s_patience)
        {
            var run = await http.GetFromJsonAsync<JsonObject>($"api/instances/{runId}").ConfigureAwait(false);
            if (run?["status"]?.GetValue<string>() == "waiting" && run["openTasks"] is JsonArray open && open.Count == s_answers.Count)
            {
                var tasks = open.Select(t => new OpenTask(t!["id"]!.GetValue<string>(), t["step"]!.GetValue<string>(), t["group"]!.GetValue<string>()))
                    .OrderBy(t => t.Step == "legal_approval" ? 0 : t.Step == "finance_approval" ? 1 : 2).ToArray();
                return (run["lastSequence"]!.GetValue<long>(), tasks);
            }
            await Task.Delay(10).ConfigureAwait(false);
        }
        throw new TimeoutException($"Run {runId} did not reach 'waiting' with three open tasks within {s_patience.TotalSeconds:0} s.");
    }

    private static async Task<long> LastSequenceAsync(HttpClient http, string runId)
    {
        var run = await http.GetFromJsonAsync<JsonObject>($"api/instances/{runId}").ConfigureAwait(false);
        return run!["lastSequence"]!.GetValue<long>();
    }

    /// <summary>Waits until every subscriber has read item <paramref name="sequence"/>.</summary>
    private static async Task WaitAllAsync(Subscriber[] followers, long sequence, Task[] reading, string what)
    {
        var clock = Stopwatch.StartNew();
        while (followers.Any(f => f.LastSequence < sequence))
        {
            if (reading.FirstOrDefault(t => t.IsFaulted) is { } failed)
            {
                throw new InvalidOperationException($"A subscriber failed: {failed.Exception!.GetBaseException().Message}");
            }
            if (clock.Elapsed > s_patience)
            {
                throw new TimeoutException($"{followers.Count(f => f.LastSequence < sequence)} of {followers.Length} subscribers did not get {what} " +
                    $"(up to item {sequence}) within {s_patience.TotalSeconds:0} s.");
            }
            await Task.Delay(2).ConfigureAwait(false);
        }
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private sealed record OpenTask(string Id, string Step, string Group);

    private sealed record PassResult(int Subscribers, int Runs, int Items, string Cpu, double[] Latencies, double[] ToAll, double[] AnswerPosts,
        IReadOnlyDictionary<string, double[]> ByType);

    private readonly record struct Frame(long Sequence, string Type, double LatencyMs);

    /// <summary>
    /// One SSE connection on a raw socket (HTTP/1.1, as browsers' EventSource over plain HTTP): parses every frame as
    /// its bytes arrive (<see cref="SseWireReader"/>), stamps it the moment its closing blank line is read, then reads
    /// its JSON for the server's timestamp. Checks that ids come dense and match the data's sequence.
    /// </summary>
    private sealed class Subscriber(long history)
    {
        private long _lastSequence;

        public List<Frame> Frames { get; } = [];

        public long LastSequence => Volatile.Read(ref _lastSequence);

        public async Task FollowAsync(Uri server, string runId, SemaphoreSlim connecting, CancellationToken cancellationToken)
        {
            using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await connecting.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await socket.ConnectAsync(server.Host, server.Port, cancellationToken).ConfigureAwait(false);
                var request = Encoding.ASCII.GetBytes($"GET {server.AbsolutePath.TrimEnd('/')}/api/instances/{runId}/events HTTP/1.1\r\n" +
                    $"Host: {server.Authority}\r\nAccept: text/event-stream\r\nCache-Control: no-cache\r\n\r\n");
                await socket.SendAsync(request, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                connecting.Release();
            }
            var reader = new SseWireReader(OnFrame);
            var buffer = new byte[4096];
            while (!reader.Ended)
            {
                var received = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
                if (received == 0)
                {
                    if (reader.EndsAtClose)
                    {
                        break;
                    }
                    throw new InvalidOperationException($"Run {runId}: the server closed the stream before its end (after item {LastSequence}).");
                }
                reader.Feed(buffer.AsSpan(0, received));
                if (reader.StatusCode is not (0 or 200))
                {
                    throw new InvalidOperationException($"Run {runId}: the event stream answered {reader.StatusCode}.");
                }
            }
        }

        private void OnFrame(long sequence, string type, ReadOnlySpan<byte> data)
        {
            // The frame is complete: stamp its arrival before anything else.
            var arrived = DateTimeOffset.UtcNow;
            var (timestamp, inData) = Read(data);
            if (sequence != _lastSequence + 1 || inData != sequence)
            {
                throw new InvalidOperationException($"Frame id {sequence} (data sequence {inData}) after item {_lastSequence}: not the next item.");
            }
            if (sequence > history)
            {
                Frames.Add(new Frame(sequence, type, (arrived - timestamp).TotalMilliseconds));
            }
            Volatile.Write(ref _lastSequence, sequence);
        }

        /// <summary>The item's <c>timestamp</c> and <c>sequence</c>, reading the whole JSON (a malformed one throws).</summary>
        private static (DateTimeOffset Timestamp, long Sequence) Read(ReadOnlySpan<byte> json)
        {
            var reader = new Utf8JsonReader(json);
            DateTimeOffset? timestamp = null;
            long? sequence = null;
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1)
                {
                    if (reader.ValueTextEquals("timestamp"u8))
                    {
                        reader.Read();
                        timestamp = reader.GetDateTimeOffset();
                    }
                    else if (reader.ValueTextEquals("sequence"u8))
                    {
                        reader.Read();
                        sequence = reader.GetInt64();
                    }
                }
            }
            return (timestamp ?? throw new InvalidOperationException("A frame without a timestamp."),
                sequence ?? throw new InvalidOperationException("A frame without a sequence."));
        }
    }
}
