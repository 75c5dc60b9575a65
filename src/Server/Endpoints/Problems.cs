using Microsoft.AspNetCore.Http.HttpResults;

namespace Workflows.Server.Endpoints;

/// <summary>Every domain error the API reports, as a problem document a caller can act on.</summary>
internal static class Problems
{
    public static ProblemHttpResult WorkflowNotFound(string name) => TypedResults.Problem(
        title: "Workflow not found",
        detail: $"No workflow named '{name}' is registered. GET /api/workflows lists the registered names.",
        statusCode: StatusCodes.Status404NotFound);

    public static ProblemHttpResult WorkflowVersionNotFound(string name, string version, IReadOnlyList<string> versions) => TypedResults.Problem(
        title: "Workflow version not found",
        detail: $"Workflow '{name}' has no version '{version}'. Registered versions: {string.Join(", ", versions)}; omit ?version= for the latest.",
        statusCode: StatusCodes.Status404NotFound);
}
