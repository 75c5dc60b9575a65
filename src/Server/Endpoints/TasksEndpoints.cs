using System.ComponentModel;
using System.Security.Claims;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Workflows.Server.Endpoints.Contracts;
using Workflows.Server.Security;

namespace Workflows.Server.Endpoints;

/// <summary>Human tasks: the inbox, one task, completing a task.</summary>
public static class TasksEndpoints
{
    /// <summary>Maps <c>GET /api/tasks</c>, <c>GET /api/tasks/{id}</c> and <c>POST /api/tasks/{id}/complete</c>.</summary>
    public static IEndpointRouteBuilder MapTasksApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/tasks").WithTags("Tasks");
        api.MapGet("", ListTasks)
            .RequireAuthorization(Permissions.RunsRead)
            .WithName("ListTasks")
            .WithSummary("List human tasks (the inbox)")
            .WithDescription("Oldest first; the filters combine. Pass nextCursor back as ?cursor= for the next page.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapGet("/{id}", GetTask)
            .RequireAuthorization(Permissions.RunsRead)
            .WithName("GetTask")
            .WithSummary("Get one task")
            .WithDescription("The task with its form (JSON Schema), assignee or group, status, deadline and overdue flag, and the answer once completed.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/{id}/complete", CompleteTask)
            .RequireAuthorization(Permissions.TasksComplete)
            .WithName("CompleteTask")
            .WithSummary("Complete a task")
            .WithDescription("The body is the form data, validated against the task's formSchema: 422 lists every violation in errors, keyed by JSON " +
                "pointer. Needs tasks:complete; the caller is the signed-in user or the API key's user with their groups: 403 when they are neither " +
                "the assignee nor in the task's group, and the task stays open. 409 when the task is already completed or canceled, or its run has ended.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        return endpoints;
    }

    internal static Results<Ok<TaskPage>, ProblemHttpResult> ListTasks([AsParameters] TaskListQuery query, [AsParameters] ServerServices services)
    {
        if (!ListParameters.TryReadStatus<HumanTaskStatus>(query.Status, s => s.ToString().ToLowerInvariant(), out var status, out var problem)
            || !ListParameters.TryReadLimit(query.Limit, out var limit, out problem)
            || !ListParameters.TryReadCursor(query.Cursor, out var after, out problem))
        {
            return problem!;
        }
        // One more than the page holds: whether another page follows.
        var page = services.Engine.Tasks.List(new TaskQuery
        {
            Status = status,
            Assignee = Blank(query.Assignee),
            Group = Blank(query.Group),
            RunId = Blank(query.Instance),
            After = after is { } cursor ? new TaskCursor(cursor.CreatedAt, cursor.Id) : null,
            Limit = limit + 1,
        });
        var now = services.Time.GetUtcNow();
        var items = page.Take(limit).Select(t => TaskDetail.From(t, now)).ToArray();
        return TypedResults.Ok(new TaskPage(items, page.Count > limit ? PageCursor.Encode(items[^1].CreatedAt, items[^1].Id) : null));
    }

    internal static Results<Ok<TaskDetail>, ProblemHttpResult> GetTask(
        [Description("The task id.")] string id,
        [AsParameters] ServerServices services) =>
        services.Engine.Tasks.Get(id) is { } task
            ? TypedResults.Ok(TaskDetail.From(task, services.Time.GetUtcNow()))
            : Problems.TaskNotFound(id);

    internal static async Task<Results<Ok<TaskCompletion>, ProblemHttpResult>> CompleteTask(
        [Description("The task id.")] string id,
        [Description("The form data: a JSON object that satisfies the task's formSchema.")] JsonNode? data,
        ClaimsPrincipal caller,
        [AsParameters] ServerServices services,
        CancellationToken cancellationToken)
    {
        var answer = JsonBodyChecks.Inspect(data, "", services.Options.Value);
        if (answer.Unstorable is { } unstorable)
        {
            return Problems.InvalidField(unstorable, JsonBodyChecks.UnstorableString);
        }
        if (answer.OverLimits.Count > 0)
        {
            return Problems.OverLimits(answer.OverLimits);
        }
        try
        {
            var result = await services.Engine.Tasks.CompleteAsync(id, data, caller.ToTaskCaller(), cancellationToken);
            return TypedResults.Ok(new TaskCompletion(TaskDetail.From(result.Task, services.Time.GetUtcNow()), result.RunStatus));
        }
        catch (TaskNotFoundException)
        {
            return Problems.TaskNotFound(id);
        }
        catch (TaskForbiddenException error)
        {
            return Problems.TaskForbidden(error);
        }
        catch (TaskConflictException error)
        {
            return Problems.TaskConflict(error);
        }
        catch (FormValidationException error)
        {
            return Problems.FormInvalid(error);
        }
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
