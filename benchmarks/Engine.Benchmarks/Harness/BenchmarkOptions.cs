using System.Globalization;

namespace Workflows.Benchmarks.Harness;

/// <summary>How a run of a concurrency mode is driven.</summary>
/// <param name="Name">Shown in the table: <c>concurrent</c> or <c>sequential</c>.</param>
/// <param name="InFlight">Runs started together in one batch (1 = strictly one after the other).</param>
internal sealed record Mode(string Name, int InFlight);

/// <summary>The command line, parsed.</summary>
internal sealed record BenchmarkOptions
{
    public IReadOnlyList<string> Selected { get; init; } = [];

    /// <summary>Runs per measured round.</summary>
    public int Runs { get; init; } = 1000;

    /// <summary>Runs in flight at once in the concurrent mode (started together, awaited together).</summary>
    public int Concurrency { get; init; } = 100;

    /// <summary>Measured rounds per implementation and mode; the table shows the medians.</summary>
    public int Rounds { get; init; } = 5;

    /// <summary>Unmeasured rounds per implementation and mode before measuring.</summary>
    public int WarmupRounds { get; init; } = 3;

    /// <summary>
    /// Minimum warm-up time per mode. Tiered compilation promotes hot methods only after a quiet period of
    /// about 100 ms, so a warm-up shorter than that measures tier-0 code.
    /// </summary>
    public TimeSpan MinimumWarmup { get; init; } = TimeSpan.FromSeconds(2);

    public bool Concurrent { get; init; } = true;

    public bool Sequential { get; init; } = true;

    public bool Profile { get; init; }

    /// <summary>Fresh processes to measure in (medians over them); 1 = measure in this process.</summary>
    public int Processes { get; init; } = 3;

    /// <summary>Set on the processes that <see cref="ProcessRunner"/> starts.</summary>
    public bool Child { get; init; }

    /// <summary>Run only one side ("engine" or "baseline"), e.g. under an external profiler; no ratio then.</summary>
    public string? Only { get; init; }

    /// <summary>The engine's <see cref="EngineOptions.RetainedRuns"/> for this measurement; null = the engine's default.</summary>
    public int? RetainedRuns { get; init; }

    public bool Check { get; init; }

    public bool List { get; init; }

    public bool Help { get; init; }

    public IEnumerable<Mode> Modes
    {
        get
        {
            if (Concurrent)
            {
                yield return new Mode("concurrent", Concurrency);
            }
            if (Sequential)
            {
                yield return new Mode("sequential", 1);
            }
        }
    }

    public const string Usage = """
        Usage: dotnet run -c Release --project benchmarks/Engine.Benchmarks -- [NAME...] [OPTIONS]

          NAME                  benchmarks to run (default: all); --list shows them
          --runs N              runs per measured round (default 1000)
          --concurrency N       runs in flight per batch in the concurrent mode (default 100)
          --rounds N            measured rounds per implementation and process, median (default 5)
          --warmup N            warm-up rounds per implementation (default 3, and at least 2 s per mode)
          --mode M              concurrent | sequential | both (default both)
          --processes N         fresh processes to measure in, medians over them (default 3; 1 = this one)
          --profile             afterwards, show where the engine's allocations and time go
          --only SIDE           engine | baseline: measure one side only (for an external profiler)
          --retained N          the engine's EngineOptions.RetainedRuns (default: the engine's default)
          --check               exit with code 1 when a target is missed
          --list                list the benchmarks
        """;

    public static BenchmarkOptions Parse(string[] args)
    {
        var options = new BenchmarkOptions();
        var selected = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{arg} needs a value.");
            int Positive() => int.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
                ? n : throw new ArgumentException($"{arg} needs a positive integer.");
            options = arg switch
            {
                "--runs" => options with { Runs = Positive() },
                "--concurrency" => options with { Concurrency = Positive() },
                "--rounds" => options with { Rounds = Positive() },
                "--warmup" => options with { WarmupRounds = Positive() },
                "--mode" => Value() switch
                {
                    "concurrent" => options with { Concurrent = true, Sequential = false },
                    "sequential" => options with { Concurrent = false, Sequential = true },
                    "both" => options with { Concurrent = true, Sequential = true },
                    var other => throw new ArgumentException($"Unknown mode '{other}': concurrent, sequential or both."),
                },
                "--profile" => options with { Profile = true },
                "--processes" => options with { Processes = Positive() },
                "--child" => options with { Child = true },
                "--only" => Value() switch
                {
                    "engine" => options with { Only = "engine" },
                    "baseline" => options with { Only = "baseline" },
                    var other => throw new ArgumentException($"Unknown side '{other}': engine or baseline."),
                },
                "--retained" => options with { RetainedRuns = Positive() },
                "--check" => options with { Check = true },
                "--list" => options with { List = true },
                "-h" or "--help" => options with { Help = true },
                _ when arg.StartsWith('-') => throw new ArgumentException($"Unknown option {arg}."),
                _ => options,
            };
            if (!arg.StartsWith('-'))
            {
                selected.Add(arg.ToLowerInvariant());
            }
        }
        return options with { Selected = selected };
    }
}
