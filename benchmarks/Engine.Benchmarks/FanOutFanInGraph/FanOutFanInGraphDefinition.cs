using System.Text.Json.Nodes;
using Workflows.Benchmarks.FanOutFanIn;

namespace Workflows.Benchmarks.FanOutFanInGraph;

/// <summary>
/// The graph form of 1 → 10 → collect: <c>start</c> → <c>work_1</c> .. <c>work_10</c> (ten edges: a fork) →
/// <c>join</c> (ten edges: a join, so it runs once, after all ten). The same trivial synchronous work as the
/// event-driven form (<see cref="FanOutFanInShape.Compute"/>), returned as each work step's output; <c>join</c>
/// reads the ten outputs and writes their sum to the context as <c>sum</c>.
/// </summary>
internal static class FanOutFanInGraphDefinition
{
    public const string WorkflowName = "bench_fan_out_fan_in_graph";

    /// <summary>Step invocations per run: start, ten work steps, join.</summary>
    public const int StepInvocations = 1 + FanOutFanInShape.Width + 1;

    private static readonly string[] s_workSteps = Enumerable.Range(1, FanOutFanInShape.Width).Select(i => $"work_{i}").ToArray();

    public static WorkflowDefinition Create() => new()
    {
        Name = WorkflowName,
        Description = "Benchmark: start forks into ten trivial work steps, which join in join.",
        Steps =
        [
            new MachineStep("start", static (_, _) => Task.FromResult<object?>(null)),
            .. Enumerable.Range(0, FanOutFanInShape.Width).Select(WorkStep),
            new MachineStep("join", static (context, _) =>
            {
                var sum = 0L;
                foreach (var step in s_workSteps)
                {
                    sum += context.GetOutput<long>(step);
                }
                context.Set("sum", sum);
                return Task.FromResult<object?>(sum);
            }),
        ],
        Edges =
        [
            .. s_workSteps.Select(step => new Edge("start", step)),
            .. s_workSteps.Select(step => new Edge(step, "join")),
        ],
        InitialStep = "start",
        TerminalSteps = ["join"],
    };

    /// <summary>The sum the run leaves in its context (the run's result is the final context).</summary>
    public static long? Sum(object? result) => result is JsonObject context && context["sum"] is JsonValue sum && sum.TryGetValue<long>(out var value) ? value : null;

    /// <summary><c>work_{index+1}</c>: the shape's computation for item <paramref name="index"/>, as the step's output.</summary>
    private static MachineStep WorkStep(int index) =>
        new(s_workSteps[index], (_, _) => Task.FromResult<object?>(FanOutFanInShape.Compute(index)));
}
