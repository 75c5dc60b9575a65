using System.Diagnostics;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace Workflows.Crash.Tests;

/// <summary>
/// The crash test (docs/persistence.md, "Crash test"): the real server process, runs in flight, SIGKILL, restart on
/// the same database; every run must end exactly as it does on an in-memory engine that never crashed, no completed
/// step may run twice, no task may be completed twice, and every run's item stream must be dense (1..N, no gap, no
/// duplicate) with one terminal item, the last.
/// </summary>
/// <remarks>
/// Short by default (240 runs over 6 s of load, three kills at random moments, well under a minute on two cores) so
/// that <c>dotnet test Workflows.sln</c> runs it; <c>WORKFLOWS_CRASH_SECONDS</c>, <c>WORKFLOWS_CRASH_RUNS</c> and
/// <c>WORKFLOWS_CRASH_KILLS</c> make it longer (docs/reliability.md).
/// </remarks>
public sealed class CrashTest(ITestOutputHelper output)
{
    private const string EngineRestarted = "the engine restarted";

    [Fact]
    public async Task Server_KilledMidFlight_EveryRunEndsAsIfNothingHappened()
    {
        var seconds = Setting("WORKFLOWS_CRASH_SECONDS", 0, min: 1);
        var runs = Setting("WORKFLOWS_CRASH_RUNS", seconds > 0 ? seconds * RunsPerSecond : 240, min: 12);
        var kills = Setting("WORKFLOWS_CRASH_KILLS", seconds > 0 ? Math.Max(1, seconds / 10) : 3, min: 1);
        var seed = Setting("WORKFLOWS_CRASH_SEED", Random.Shared.Next(1, 1_000_000), min: 0);
        // The load: one start every `pace`, steady over the whole window (as long as the server is up).
        var window = TimeSpan.FromSeconds(seconds > 0 ? seconds : runs / (double)RunsPerSecond);
        var pace = window / runs;
        // Bounded as a whole: a run that never ends fails the test instead of hanging CI.
        var bound = TimeSpan.FromSeconds(90 + runs * 0.1 + kills * 20) + 2 * window;
        using var timeout = new CancellationTokenSource(bound);
        var cancellationToken = timeout.Token;
        var clock = Stopwatch.StartNew();

        var specs = Workload.Create(runs, Guid.NewGuid().ToString("N")[..8]);
        // Before the server starts, so that the two do not share the CPU (concurrent_flow's result is a matter of timing).
        var expected = await Expected.ComputeAsync(specs, cancellationToken);
        var referenceTime = clock.Elapsed;

        // SIGKILLs at random moments of the load, one in each of `kills` equal shares of the starts (somewhere in its
        // middle 80 %), so that every kill finds the server under load rather than still restarting from the last one.
        // Seeded: WORKFLOWS_CRASH_SEED repeats a schedule.
        var random = new Random(seed);
        var killPoints = Enumerable.Range(0, kills).Select(k => (int)(runs * (k + 0.1 + 0.8 * random.NextDouble()) / kills)).ToArray();

        var keys = new HarnessKeys(Workload.Managers);
        var directory = Directory.CreateTempSubdirectory("workflows-crash-");
        using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(30) }) { Timeout = TimeSpan.FromSeconds(30) };
        // Event streams stay open while their run waits: no client-side timeout (the test's token bounds them).
        using var streams = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1000 }) { Timeout = Timeout.InfiniteTimeSpan };
        var server = new ServerProcess(ServerProcess.FindServerDll(), Path.Combine(directory.FullName, "crash.db"), Path.Combine(directory.FullName, "server.log"), keys.Environment());
        var passed = false;
        try
        {
            await server.StartAsync(http, TimeSpan.FromSeconds(60), cancellationToken);
            var client = new CrashClient(http, specs, keys, cancellationToken);
            client.Up(server.BaseAddress!);

            // Live readers: every fourth run is followed over SSE from its start, across every kill (Last-Event-ID).
            var followers = new List<(StreamFollower Follower, Task Reading)>();
            var followersGate = new Lock();
            client.RunStarted += (spec, id) =>
            {
                if (spec.Index % 4 != 0)
                {
                    return;
                }
                var follower = new StreamFollower(streams, client, keys.Harness, id, cancellationToken);
                lock (followersGate)
                {
                    followers.Add((follower, Task.Run(follower.RunAsync, cancellationToken)));
                }
            };

            using var stopAnswering = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var answering = client.AnswerTasksAsync(stopAnswering.Token);
            var loadStarted = Stopwatch.StartNew();
            var starting = client.StartAllAsync(parallel: 4, pace);

            var killedAt = new List<DateTimeOffset>();
            var atKill = new List<string>();
            foreach (var point in killPoints)
            {
                while (client.Started < point && !starting.IsCompleted)
                {
                    await Task.Delay(5, cancellationToken);
                }
                var statuses = await client.StatusesAsync();
                atKill.Add($"{loadStarted.Elapsed.TotalSeconds:0.0} s, {client.Started} started: " +
                    string.Join(", ", statuses.Values.GroupBy(s => s).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Count()} {g.Key}")));
                // Requests in flight die with the server (their answers lost), later ones wait until it is back.
                killedAt.Add(DateTimeOffset.UtcNow);
                server.Kill();
                client.Down();
                await server.StartAsync(http, TimeSpan.FromSeconds(60), cancellationToken);
                client.Up(server.BaseAddress!);
            }
            client.AnswerEverything();
            await starting;
            var loadTime = loadStarted.Elapsed;

            // Every run ends (human ones once their tasks are answered).
            var ids = client.Ids.Select(id => id!).ToArray();
            while (true)
            {
                var statuses = await client.StatusesAsync();
                var open = ids.Where(id => !statuses.TryGetValue(id, out var status) || status is "pending" or "running" or "waiting").ToArray();
                if (open.Length == 0)
                {
                    break;
                }
                if (timeout.IsCancellationRequested || clock.Elapsed > bound - TimeSpan.FromSeconds(15))
                {
                    Assert.Fail($"{open.Length} of {runs} runs never ended, e.g. {string.Join(", ", open.Take(5).Select(id => $"{id} ({(statuses.TryGetValue(id, out var s) ? s : "unknown")})"))}");
                }
                await Task.Delay(100, cancellationToken);
            }
            await stopAnswering.CancelAsync();
            await answering;
            (StreamFollower Follower, Task Reading)[] live;
            lock (followersGate)
            {
                live = [.. followers];
            }
            await Task.WhenAll(live.Select(f => f.Reading)).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);

            // Lost: a run whose start was confirmed but that the server does not list.
            var listed = await client.StatusesAsync();
            var lost = ids.Count(id => !listed.ContainsKey(id));
            // Started twice: a run the server lists that no confirmed start names (a retried start must find the first).
            var unclaimed = listed.Keys.Where(id => !ids.Contains(id, StringComparer.Ordinal)).ToArray();

            var report = new Report();
            var byRun = live.ToDictionary(f => f.Follower.RunId, f => f.Follower, StringComparer.Ordinal);
            await Parallel.ForEachAsync(specs, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (spec, ct) =>
            {
                var id = ids[spec.Index];
                var detail = await client.GetJsonAsync($"/api/instances/{id}");
                var items = (await client.GetJsonAsync($"/api/instances/{id}/events")).AsArray().Select(i => i!.AsObject()).ToArray();
                // The same stream over SSE, read now from the start: the same items, 1..N, then the server closes it.
                var reader = new StreamFollower(streams, client, keys.Harness, id, ct);
                await reader.RunAsync();
                var sse = reader.Problems.Concat(reader.CompareWith(items)).Select(p => $"SSE: {p}").ToList();
                if (byRun.TryGetValue(id, out var follower))
                {
                    sse.AddRange(follower.Problems.Concat(follower.CompareWith(items)).Select(p => $"live SSE ({follower.Resumes} resumes): {p}"));
                }
                Check(spec, id, expected[spec.Index], detail, items, sse, killedAt, report);
            });
            foreach (var problem in client.Problems)
            {
                report.Problem(problem);
            }
            foreach (var id in unclaimed.Take(10))
            {
                report.Problem($"run {id} is listed by the server but no start was answered with it (a start applied twice)");
            }
            var log = server.LogLines();
            var resumedInLog = log.Count(l => l.Contains("Resumed run ", StringComparison.Ordinal));
            // Errors in the server's log are problems, except the failures of the runs meant to fail (logged by the runtime).
            var failedRuns = specs.Where(s => expected[s.Index].Status == "failed").Select(s => ids[s.Index]).ToArray();
            foreach (var line in log.Where(l => (l.Contains(" fail: ", StringComparison.Ordinal) || l.Contains(" crit: ", StringComparison.Ordinal))
                && !(l.Contains("fail: Workflows.Runtime[6] Run ", StringComparison.Ordinal) && failedRuns.Any(id => l.Contains(id, StringComparison.Ordinal)))).Take(10))
            {
                report.Problem($"server log: {line}");
            }

            output.WriteLine($"crash test: {runs} runs over {loadTime.TotalSeconds:0.0} s of load, {kills} kill(s) (SIGKILL, seed {seed}), server {server.Starts} starts, " +
                $"{clock.Elapsed.TotalSeconds:0.0} s in all ({referenceTime.TotalSeconds:0.0} s of it computing the reference in memory)");
            for (var k = 0; k < atKill.Count; k++)
            {
                output.WriteLine($"  kill {k + 1} at {atKill[k]}");
            }
            output.WriteLine($"  ended before the first kill: {report.EndedBeforeFirstKill}; in flight or waiting at a kill: {report.Resumed}; resumed by the restarted server: {resumedInLog}");
            output.WriteLine($"  interrupted attempts re-run: {report.Rerun}; steps completed: {report.StepsCompleted}");
            output.WriteLine($"  tasks: {report.Tasks} ({client.AnswersEarly} answered before the last restart, {client.AnswersLate} after, {client.AnswersLost} answers lost with the server and found applied)");
            output.WriteLine($"  requests cut by a kill: {client.RequestsCut}; starts whose answer was lost, found by correlation id: {client.StartsAnsweredLate}");
            output.WriteLine($"  live SSE readers: {live.Length}, resumed with Last-Event-ID {live.Sum(f => f.Follower.Resumes)} times, {live.Sum(f => f.Follower.Frames.Count)} frames");
            output.WriteLine($"  runs: {runs}, kills: {kills}, recoveries: {server.Starts - 1}, lost: {lost}, duplicates: {report.Duplicates}, gaps: {report.Gaps}; " +
                $"ended as without crashes: {report.Matching} of {runs}; problems: {report.Problems.Count}");
            foreach (var problem in report.Problems.Take(100))
            {
                output.WriteLine($"  PROBLEM {problem}");
            }
            Assert.True(report.Problems.Count == 0, $"{report.Problems.Count} problem(s), e.g.:\n{string.Join('\n', report.Problems.Take(20))}\n(the server log's tail is in the test output; WORKFLOWS_CRASH_KEEP=1 keeps the whole directory; WORKFLOWS_CRASH_SEED={seed} repeats the kill moments)");
            Assert.Equal(0, lost);
            Assert.Equal(0, report.Duplicates);
            Assert.Equal(0, report.Gaps);
            Assert.Equal(runs, report.Matching);
            passed = true;
        }
        finally
        {
            server.Dispose();
            if (!passed)
            {
                output.WriteLine($"server log (last lines):\n{server.Tail(80)}");
            }
            if (passed || Environment.GetEnvironmentVariable("WORKFLOWS_CRASH_KEEP") is null)
            {
                try
                {
                    directory.Delete(recursive: true);
                }
                catch (IOException)
                {
                    // best effort
                }
            }
            else
            {
                output.WriteLine($"kept: {directory.FullName}");
            }
        }
    }

    /// <summary>Starts per second of load when only a duration is given (and the short form's pace).</summary>
    private const int RunsPerSecond = 40;

    /// <summary>Checks one run against its expected outcome, and its item stream on its own.</summary>
    private static void Check(RunSpec spec, string id, ExpectedRun expected, JsonNode detail, JsonObject[] items, List<string> sse, List<DateTimeOffset> killedAt, Report report)
    {
        var name = $"run {spec.Index} ({spec.Workflow}, {id})";
        var problems = new List<string>();
        if (items.Length == 0)
        {
            report.Add([$"{name}: its item stream is empty"], endedBeforeFirstKill: false, resumed: false, rerun: 0, stepsCompleted: 0, tasks: 0, gap: true, duplicates: 0);
            return;
        }
        var gap = sse.Count > 0;
        var duplicates = 0;
        problems.AddRange(sse);

        // (1) It ends as it would have without the crash.
        var status = (string?)detail["status"];
        if (status != expected.Status)
        {
            problems.Add($"status {status}, expected {expected.Status} (error {detail["error"]?.ToJsonString()})");
        }
        var result = status == "completed" ? Canonical.Json(detail["result"]) : null;
        if (result != expected.Result)
        {
            problems.Add($"result {result}\n      expected {expected.Result}");
        }
        var error = detail["error"] is JsonObject e ? Canonical.Json(e) : null;
        if (error != expected.Error)
        {
            problems.Add($"error {error}, expected {expected.Error}");
        }

        // (2) The item stream: 1..N without gap or duplicate, one terminal item, the last.
        for (var i = 0; i < items.Length; i++)
        {
            if ((long)items[i]["sequence"]! != i + 1)
            {
                gap = true;
                problems.Add($"item {i + 1} of the stream has sequence {items[i]["sequence"]} (a gap or a duplicate)");
                break;
            }
        }
        if ((long?)detail["lastSequence"] != items.Length)
        {
            gap = true;
            problems.Add($"lastSequence {detail["lastSequence"]}, but the stream has {items.Length} items");
        }
        var terminals = items.Count(i => ItemStream.TerminalTypes.Contains((string)i["type"]!));
        if (terminals != 1 || items.Length == 0 || !ItemStream.TerminalTypes.Contains((string)items[^1]["type"]!))
        {
            problems.Add($"{terminals} terminal items; the last item is {(items.Length == 0 ? "none" : items[^1]["type"])}");
        }
        else if ((string)items[^1]["type"]! != $"run.{status}")
        {
            problems.Add($"the terminal item is {items[^1]["type"]} but the run is {status}");
        }

        // (3) No completed step ran twice: as many invocations per step as without the crash, no more completions than
        // invocations, and (below) no attempt closed twice or run again after its invocation completed. The number of
        // completions is not compared with the reference: invocations still running when a run ends are canceled, and
        // which ones are is a race in the reference too (document_analysis: the collector that got the last document
        // may return before one that got an earlier one).
        var completed = ItemStream.CountPerStep(items, "step.completed");
        var invocations = ItemStream.CountPerStep(items, "step.started", attempt: 1);
        if (!SameCounts(invocations, expected.FirstAttempts))
        {
            problems.Add($"first attempts per step {ItemStream.Describe(invocations)}, expected {ItemStream.Describe(expected.FirstAttempts)}");
        }
        else if (completed.Any(p => p.Value > invocations.GetValueOrDefault(p.Key)))
        {
            duplicates += completed.Count(p => p.Value > invocations.GetValueOrDefault(p.Key));
            problems.Add($"step.completed per step {ItemStream.Describe(completed)}, more than the invocations {ItemStream.Describe(invocations)}");
        }
        // Each attempt holds its worker slot from step.started to the one item that closes it: a second completion
        // (or any closing item) for an attempt that is no longer running is a step that ran twice.
        var running = new Dictionary<(string Step, int Worker), int>();
        // The step invocation each worker slot last completed: a later attempt of it (rather than attempt 1 of a new
        // invocation) would be a completed invocation running again.
        var completedOn = new Dictionary<(string Step, int Worker), int>();
        foreach (var item in items)
        {
            var type = (string)item["type"]!;
            if (!type.StartsWith("step.", StringComparison.Ordinal))
            {
                continue;
            }
            var (step, worker, attempt) = ((string)item["step"]!, (int)item["worker"]!, (int)item["attempt"]!);
            if (type == "step.started")
            {
                if (attempt > 1 && completedOn.TryGetValue((step, worker), out var done) && done == attempt - 1)
                {
                    duplicates++;
                    problems.Add($"attempt {attempt} of {step} started on worker {worker} after attempt {done} had completed (item {item["sequence"]})");
                }
                completedOn.Remove((step, worker));
                if (running.TryGetValue((step, worker), out var other))
                {
                    problems.Add($"attempt {attempt} of {step} started on worker {worker} while attempt {other} was running there (item {item["sequence"]})");
                }
                running[(step, worker)] = attempt;
            }
            else if (!running.Remove((step, worker), out var open) || open != attempt)
            {
                duplicates += type == "step.completed" ? 1 : 0;
                problems.Add($"{type} for attempt {attempt} of {step} on worker {worker}, which was not running (item {item["sequence"]})");
            }
            else if (type == "step.completed")
            {
                completedOn[(step, worker)] = attempt;
            }
        }
        if (running.Count > 0)
        {
            problems.Add($"attempts never closed: {string.Join(", ", running.Select(r => $"{r.Key.Step}#{r.Value} on worker {r.Key.Worker}"))}");
        }
        var rerun = 0;
        for (var i = 0; i < items.Length; i++)
        {
            if ((string)items[i]["type"]! != "step.canceled" || (string?)items[i]["reason"] != EngineRestarted)
            {
                continue;
            }
            rerun++;
            var (step, worker, attempt) = ((string)items[i]["step"]!, (int)items[i]["worker"]!, (int)items[i]["attempt"]!);
            var next = items.Skip(i + 1).FirstOrDefault(n => (string)n["type"]! == "step.started" && (string)n["step"]! == step && (int)n["worker"]! == worker);
            if (next is null || (int)next["attempt"]! != attempt + 1)
            {
                problems.Add($"attempt {attempt} of {step} (worker {worker}) was interrupted by the restart but {(next is null ? "never ran again" : $"ran again as attempt {next["attempt"]}")}");
            }
        }

        // (4) No task completed twice, and as many tasks as without the crash.
        var created = ItemStream.OfType(items, "task.created").Select(i => (Id: (string)i["taskId"]!, Step: (string)i["step"]!)).ToArray();
        var createdSteps = created.Select(t => t.Step).Order(StringComparer.Ordinal).ToArray();
        if (!createdSteps.SequenceEqual(expected.TaskSteps))
        {
            problems.Add($"tasks opened for [{string.Join(", ", createdSteps)}], expected [{string.Join(", ", expected.TaskSteps)}]");
        }
        if (created.Select(t => t.Id).Distinct().Count() != created.Length)
        {
            duplicates++;
            problems.Add("a task was opened twice");
        }
        var completions = ItemStream.OfType(items, "task.completed").GroupBy(i => (string)i["taskId"]!).ToDictionary(g => g.Key, g => g.Count());
        foreach (var (taskId, step) in created)
        {
            if (completions.GetValueOrDefault(taskId) != 1)
            {
                duplicates += completions.GetValueOrDefault(taskId) > 1 ? 1 : 0;
                problems.Add($"task {taskId} ({step}) has {completions.GetValueOrDefault(taskId)} task.completed items");
            }
        }
        if (completions.Keys.Except(created.Select(t => t.Id)).Any())
        {
            problems.Add("a task.completed names a task the stream never opened");
        }

        var started = DateTimeOffset.Parse((string)items[0]["timestamp"]!);
        var ended = DateTimeOffset.Parse((string)items[^1]["timestamp"]!);
        report.Add(
            problems.Select(p => $"{name}: {p}").ToList(),
            endedBeforeFirstKill: ended < killedAt[0],
            resumed: killedAt.Any(k => started < k && ended > k),
            rerun,
            completed.Values.Sum(),
            created.Length,
            gap,
            duplicates);
    }

    private static bool SameCounts(IReadOnlyDictionary<string, int> actual, IReadOnlyDictionary<string, int> expected) =>
        actual.Count == expected.Count && actual.All(p => expected.TryGetValue(p.Key, out var n) && n == p.Value);

    private static int Setting(string name, int fallback, int min)
    {
        var text = Environment.GetEnvironmentVariable(name);
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }
        return int.TryParse(text, out var value) && value >= min
            ? value
            : throw new ArgumentException($"{name} must be an integer of at least {min}, not '{text}'.");
    }

    /// <summary>The figures and problems gathered over every run (checks run in parallel).</summary>
    private sealed class Report
    {
        private readonly Lock _gate = new();

        public List<string> Problems { get; } = [];

        public int Matching { get; private set; }

        public int EndedBeforeFirstKill { get; private set; }

        public int Resumed { get; private set; }

        public int Rerun { get; private set; }

        public int StepsCompleted { get; private set; }

        public int Tasks { get; private set; }

        /// <summary>Runs whose stream (JSON, SSE read after the end, or SSE followed live across the kills) had a gap or a duplicate item.</summary>
        public int Gaps { get; private set; }

        /// <summary>Completed step invocations that ran again or completed twice, tasks opened or completed twice.</summary>
        public int Duplicates { get; private set; }

        public void Problem(string problem)
        {
            lock (_gate)
            {
                Problems.Add(problem);
            }
        }

        public void Add(List<string> problems, bool endedBeforeFirstKill, bool resumed, int rerun, int stepsCompleted, int tasks, bool gap, int duplicates)
        {
            lock (_gate)
            {
                Gaps += gap ? 1 : 0;
                Duplicates += duplicates;
                Problems.AddRange(problems);
                Matching += problems.Count == 0 ? 1 : 0;
                EndedBeforeFirstKill += endedBeforeFirstKill ? 1 : 0;
                Resumed += resumed ? 1 : 0;
                Rerun += rerun;
                StepsCompleted += stepsCompleted;
                Tasks += tasks;
            }
        }
    }
}
