using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Workflows.Crash.Tests;

/// <summary>
/// What the test does over HTTP, as a careful client would against a server that may die at any moment: every
/// request waits while the server is down and is sent again once it is back. Sending again is safe: starts carry a
/// correlation id (a repeated start is answered 409 with the run the first one created), and a repeated task answer
/// is answered 409, after which the task must show the answer as given.
/// </summary>
internal sealed class CrashClient(HttpClient http, IReadOnlyList<RunSpec> specs, HarnessKeys keys, CancellationToken cancellationToken)
{
    /// <summary>The header every request carries its API key in (CONTRACT.md).</summary>
    public const string ApiKeyHeader = "X-Api-Key";

    private readonly Lock _gate = new();
    private TaskCompletionSource<Uri> _up = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentQueue<string> _problems = new();
    private readonly ConcurrentDictionary<string, int> _runIndex = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _answered = new(StringComparer.Ordinal);
    private readonly string?[] _ids = new string?[specs.Count];
    private int _started;
    private int _startsAnsweredLate;
    private int _answersEarly;
    private int _answersLate;
    private int _answersLost;
    private int _cut;
    private volatile bool _finalPhase;

    /// <summary>Run ids by spec index (null until the start is confirmed).</summary>
    public IReadOnlyList<string?> Ids => _ids;

    /// <summary>Starts confirmed so far.</summary>
    public int Started => Volatile.Read(ref _started);

    /// <summary>Starts whose first answer the kill swallowed, found again by their correlation id.</summary>
    public int StartsAnsweredLate => _startsAnsweredLate;

    /// <summary>Task answers accepted before the last restart / after it.</summary>
    public int AnswersEarly => _answersEarly;

    public int AnswersLate => _answersLate;

    /// <summary>Task answers whose 200 the kill swallowed: sent again, answered 409, and found applied.</summary>
    public int AnswersLost => _answersLost;

    /// <summary>Requests the server died under (or refused while it was going down), each sent again or re-read later.</summary>
    public int RequestsCut => _cut;

    /// <summary>Everything that went wrong on the way (checked at the end).</summary>
    public IEnumerable<string> Problems => _problems;

    public void Problem(string message) => _problems.Enqueue(message);

    /// <summary>The server is down: requests wait from now on.</summary>
    public void Down()
    {
        lock (_gate)
        {
            if (_up.Task.IsCompleted)
            {
                _up = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    /// <summary>The server answers at <paramref name="address"/>.</summary>
    public void Up(Uri address)
    {
        lock (_gate)
        {
            _up.TrySetResult(address);
        }
    }

    /// <summary>The server's address once it is up (at once while it is).</summary>
    public Task<Uri> WaitUpAsync()
    {
        lock (_gate)
        {
            return _up.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Fires once a run's start is confirmed (the live stream followers start from it).</summary>
    public event Action<RunSpec, string>? RunStarted;

    /// <summary>From now on every pending task is answered, not only the early ones (after the last kill).</summary>
    public void AnswerEverything() => _finalPhase = true;

    /// <summary>Starts every run, <paramref name="parallel"/> at a time, run i not before <c>i × pace</c>.</summary>
    public Task StartAllAsync(int parallel, TimeSpan pace)
    {
        var origin = DateTime.UtcNow;
        return Parallel.ForEachAsync(specs, new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = cancellationToken }, async (spec, ct) =>
        {
            var due = origin + pace * spec.Index - DateTime.UtcNow;
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due, ct);
            }
            var id = await StartAsync(spec);
            _ids[spec.Index] = id;
            _runIndex[id] = spec.Index;
            Interlocked.Increment(ref _started);
            RunStarted?.Invoke(spec, id);
        });
    }

    private async Task<string> StartAsync(RunSpec spec)
    {
        var body = new JsonObject { ["input"] = spec.Input.DeepClone(), ["correlationId"] = spec.CorrelationId }.ToJsonString();
        var sentBefore = false;
        while (true)
        {
            var reply = await SendOnceAsync(address => new HttpRequestMessage(HttpMethod.Post, new Uri(address, $"/api/workflows/{spec.Workflow}/instances"))
            {
                Content = new StringContent(body, Encoding.UTF8, "application/json"),
            });
            switch (reply)
            {
                case null:
                    // The server died under the start: whether it created the run, the correlation id will tell.
                    sentBefore = true;
                    await Task.Delay(20, cancellationToken);
                    continue;
                case { Status: HttpStatusCode.Created, Json: { } created }:
                    return (string)created["id"]!;
                case { Status: HttpStatusCode.TooManyRequests }:
                    // Over a rate limit (if one is configured): nothing was started; try again a little later.
                    await Task.Delay(200, cancellationToken);
                    continue;
                case { Status: HttpStatusCode.Conflict, Json: { } conflict } when conflict["existingInstanceId"] is { } existing:
                    if (!sentBefore)
                    {
                        Problem($"run {spec.Index}: the first start of {spec.CorrelationId} was refused as a duplicate ({conflict.ToJsonString()})");
                    }
                    Interlocked.Increment(ref _startsAnsweredLate);
                    return (string)existing!;
                default:
                    throw new InvalidOperationException($"Starting run {spec.Index} ({spec.Workflow}) answered {(int)reply.Status}: {reply.Json?.ToJsonString()}");
            }
        }
    }

    /// <summary>Until <paramref name="stop"/>: answers the pending tasks (the early ones; every one after <see cref="AnswerEverything"/>).</summary>
    public async Task AnswerTasksAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var pending = await PendingTasksAsync();
                await Parallel.ForEachAsync(pending, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (task, _) =>
                {
                    var taskId = (string)task["id"]!;
                    if (!_runIndex.TryGetValue((string)task["instanceId"]!, out var index))
                    {
                        return; // a run whose start is not confirmed yet: next round
                    }
                    var spec = specs[index];
                    var step = (string)task["step"]!;
                    if (_finalPhase || spec.AnswersEarly(step))
                    {
                        await AnswerAsync(spec, taskId, step, (string?)task["assignee"], (string?)task["group"]);
                    }
                });
            }
            catch (Exception error) when (error is HttpRequestException or IOException || (error is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                // the server went down under this round: the next one sees what was applied
            }
            try
            {
                await Task.Delay(30, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task AnswerAsync(RunSpec spec, string taskId, string step, string? assignee, string? group)
    {
        var (user, _) = RunSpec.Caller(assignee, group);
        var data = spec.Answer(step);
        var finalPhase = _finalPhase;
        var repeated = !_answered.TryAdd(taskId, 1);
        var reply = await SendOnceAsync(address =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, new Uri(address, $"/api/tasks/{taskId}/complete"))
            {
                Content = new StringContent(data.ToJsonString(), Encoding.UTF8, "application/json"),
            };
            // The key decides who answers: the manager's own key for an assigned task, else the harness key (in every group).
            request.Headers.Add(ApiKeyHeader, keys.For(assignee));
            return request;
        });
        switch (reply)
        {
            case null:
                return; // the server died under it: the task list says later whether it was applied
            case { Status: HttpStatusCode.OK }:
                if (finalPhase)
                {
                    Interlocked.Increment(ref _answersLate);
                }
                else
                {
                    Interlocked.Increment(ref _answersEarly);
                }
                return;
            case { Status: HttpStatusCode.Conflict } when repeated:
                // Sent before, and the answer was lost with the server: it must have been applied, with this data.
                var task = await GetJsonAsync($"/api/tasks/{taskId}");
                if ((string?)task["status"] == "completed" && Canonical.Json(task["data"]) == Canonical.Json(data))
                {
                    Interlocked.Increment(ref _answersLost);
                    return;
                }
                Problem($"run {spec.Index}: task {taskId} ({step}) answered 409 to a repeated answer but is {task.ToJsonString()}");
                return;
            default:
                Problem($"run {spec.Index}: completing task {taskId} ({step}) as {user} answered {(int)reply.Status}: {reply.Json?.ToJsonString()}");
                return;
        }
    }

    /// <summary>Every pending task (all pages).</summary>
    private async Task<List<JsonObject>> PendingTasksAsync()
    {
        var tasks = new List<JsonObject>();
        string? cursor = null;
        do
        {
            var query = $"/api/tasks?status=pending&limit=500{(cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}")}";
            var page = await GetJsonAsync(query, once: true) ?? throw new HttpRequestException("the server went down");
            tasks.AddRange(page["items"]!.AsArray().Select(t => t!.AsObject()));
            cursor = (string?)page["nextCursor"];
        }
        while (cursor is not null);
        return tasks;
    }

    /// <summary>The status of every run the server lists (all pages), by id.</summary>
    public async Task<Dictionary<string, string>> StatusesAsync()
    {
        var statuses = new Dictionary<string, string>(StringComparer.Ordinal);
        string? cursor = null;
        do
        {
            var page = await GetJsonAsync($"/api/instances?limit=500{(cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}")}");
            foreach (var run in page["items"]!.AsArray())
            {
                statuses[(string)run!["id"]!] = (string)run["status"]!;
            }
            cursor = (string?)page["nextCursor"];
        }
        while (cursor is not null);
        return statuses;
    }

    /// <summary>GET of a JSON document, sent again while the server is down; fails the test on anything but 200.</summary>
    public async Task<JsonNode> GetJsonAsync(string path) => (await GetJsonAsync(path, once: false))!;

    /// <summary>GET of a JSON document; with <paramref name="once"/>, null when the server died under it.</summary>
    private async Task<JsonNode?> GetJsonAsync(string path, bool once)
    {
        while (true)
        {
            var reply = await SendOnceAsync(address => new HttpRequestMessage(HttpMethod.Get, new Uri(address, path)));
            if (reply is null)
            {
                if (once)
                {
                    return null;
                }
                await Task.Delay(20, cancellationToken);
                continue;
            }
            if (reply.Status != HttpStatusCode.OK || reply.Json is null)
            {
                throw new InvalidOperationException($"GET {path} answered {(int)reply.Status}: {reply.Json?.ToJsonString()}");
            }
            return reply.Json;
        }
    }

    /// <summary>
    /// One request, sent once the server is up, answer read in full; null when the server died under it (or refused the
    /// connection), so the caller cannot know whether it was applied.
    /// </summary>
    private async Task<Reply?> SendOnceAsync(Func<Uri, HttpRequestMessage> request)
    {
        Task<Uri> up;
        lock (_gate)
        {
            up = _up.Task;
        }
        var address = await up.WaitAsync(cancellationToken);
        using var message = request(address);
        if (!message.Headers.Contains(ApiKeyHeader))
        {
            message.Headers.Add(ApiKeyHeader, keys.Harness);
        }
        try
        {
            using var response = await http.SendAsync(message, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            return new Reply(response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
        }
        catch (Exception error) when (error is HttpRequestException or IOException || (error is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            Interlocked.Increment(ref _cut);
            return null;
        }
    }

    private sealed record Reply(HttpStatusCode Status, JsonNode? Json);
}
