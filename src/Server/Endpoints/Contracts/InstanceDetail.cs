using System.Text.Json.Nodes;

namespace Workflows.Server.Endpoints.Contracts;

/// <summary>Everything about one run (instance).</summary>
/// <param name="Id">The instance id.</param>
/// <param name="Workflow">Workflow name.</param>
/// <param name="Version">The workflow version the run is pinned to.</param>
/// <param name="Status"><c>pending</c>, <c>running</c>, <c>waiting</c>, <c>completed</c>, <c>failed</c>, <c>canceled</c> or <c>timed_out</c>.</param>
/// <param name="CreatedAt">When it started.</param>
/// <param name="UpdatedAt">When it last changed.</param>
/// <param name="EndedAt">When it ended, or null.</param>
/// <param name="Input">The input it started with.</param>
/// <param name="State">Its state: the store of an event-driven run, the context of a graph run.</param>
/// <param name="Result">The result, once completed.</param>
/// <param name="Error">Why it did not complete, once failed, canceled or timed out.</param>
/// <param name="Steps">Every attempt of every step, in start order.</param>
/// <param name="OpenTasks">Its pending human tasks.</param>
/// <param name="LastSequence">The sequence of its last event-stream item (resume the stream after it).</param>
public sealed record InstanceDetail(
    string Id,
    string Workflow,
    string Version,
    RunStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? EndedAt,
    JsonObject Input,
    JsonObject State,
    JsonNode? Result,
    InstanceError? Error,
    IReadOnlyList<InstanceStep> Steps,
    IReadOnlyList<TaskDetail> OpenTasks,
    long LastSequence)
{
    internal static InstanceDetail From(RunDetails run, DateTimeOffset now)
    {
        var summary = run.Summary;
        return new(summary.Id, summary.Workflow, summary.Version, summary.Status, summary.CreatedAt, summary.UpdatedAt, summary.EndedAt,
            run.Input, run.State, run.Result, InstanceError.From(run.Error),
            run.Steps.Select(InstanceStep.From).ToArray(),
            run.OpenTasks.Select(t => TaskDetail.From(t, now)).ToArray(),
            run.LastSequence);
    }
}

/// <summary>Why a run or an attempt did not complete.</summary>
/// <param name="Step">The step concerned, or null for run-level errors.</param>
/// <param name="Type">A stable classification: the exception's type name, or <c>timeout</c>, <c>canceled</c>, <c>no_stop_event</c>.</param>
/// <param name="Message">What happened.</param>
public sealed record InstanceError(string? Step, string Type, string Message)
{
    internal static InstanceError? From(RunError? error) => error is null ? null : new(error.Step, error.Type, error.Message);
}

/// <summary>One attempt of one step.</summary>
/// <param name="Step">The step.</param>
/// <param name="Group">Its group, for group members and callbacks.</param>
/// <param name="Status"><c>running</c>, <c>completed</c>, <c>failed</c>, <c>retrying</c> (failed, another attempt follows), <c>skipped</c> or <c>canceled</c>.</param>
/// <param name="Attempt">From 1.</param>
/// <param name="Worker">The worker slot.</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="EndedAt">When it ended, or null while running.</param>
/// <param name="Error">The failure, for failed and retrying attempts.</param>
public sealed record InstanceStep(string Step, string? Group, string Status, int Attempt, int Worker, DateTimeOffset StartedAt, DateTimeOffset? EndedAt, InstanceError? Error)
{
    internal static InstanceStep From(StepExecution step) =>
        new(step.Step, step.Group, step.Status, step.Attempt, step.Worker, step.StartedAt, step.EndedAt, InstanceError.From(step.Error));
}
