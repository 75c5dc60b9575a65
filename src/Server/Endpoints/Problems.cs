using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Workflows.Server.Hosting;

namespace Workflows.Server.Endpoints;

/// <summary>
/// Every error the API reports, as an RFC 7807 problem document a caller can act on: a <c>title</c>, a
/// <c>detail</c> saying what to change, and for invalid fields an <c>errors</c> object keyed by the field's JSON
/// pointer in the body (<c>/input</c>) or by the query or header name (<c>limit</c>, <c>Last-Event-ID</c>).
/// </summary>
internal static partial class Problems
{
    // ---- unknown ids (404) ----

    public static ProblemHttpResult WorkflowNotFound(string name) => TypedResults.Problem(
        title: "Workflow not found",
        detail: $"No workflow named '{name}' is registered. GET /api/workflows lists the registered names.",
        statusCode: StatusCodes.Status404NotFound);

    public static ProblemHttpResult WorkflowVersionNotFound(string name, string version, IReadOnlyList<string> versions) => TypedResults.Problem(
        title: "Workflow version not found",
        detail: $"Workflow '{name}' has no version '{version}'. Registered versions: {string.Join(", ", versions)}; omit the version for the latest.",
        statusCode: StatusCodes.Status404NotFound);

    public static ProblemHttpResult InstanceNotFound(string id) => TypedResults.Problem(
        title: "Instance not found",
        detail: $"No instance has id '{id}'. GET /api/instances lists the instances.",
        statusCode: StatusCodes.Status404NotFound);

    public static ProblemHttpResult TaskNotFound(string id) => TypedResults.Problem(
        title: "Task not found",
        detail: $"No task has id '{id}'. GET /api/tasks lists the tasks.",
        statusCode: StatusCodes.Status404NotFound);

    // ---- invalid input (400, 413, 415, 422) ----

    /// <summary>A query string or header value that cannot be used; <paramref name="name"/> is its name.</summary>
    public static ProblemHttpResult InvalidParameter(string name, string message) => Invalid(
        "Invalid parameter", $"'{name}' {message}", new() { [name] = [message] });

    /// <summary>A body field that cannot be used; <paramref name="pointer"/> is its JSON pointer.</summary>
    public static ProblemHttpResult InvalidField(string pointer, string message) => Invalid(
        "Invalid request body", $"{(pointer.Length == 0 ? "The body" : pointer)} {message}", new() { [pointer] = [message] });

    public static ProblemHttpResult InvalidInput(string workflow, ArgumentException error) => Invalid(
        "Invalid input",
        $"The input does not fit workflow '{workflow}': {error.Message} See GET /api/workflows/{workflow} for its steps.",
        new() { ["/input"] = [error.Message] });

    public static ProblemHttpResult InvalidEvent(ArgumentException error) => Invalid(
        "Invalid event",
        error.Message,
        new() { [error.ParamName == "data" ? "/data" : "/type"] = [error.Message] });

    public static ProblemHttpResult UnknownFormat(string format) => InvalidParameter(
        "format", $"is '{format}'; use mermaid, json or html.");

    public static ProblemHttpResult BodyTooLarge(long limit) => TypedResults.Problem(
        title: "Request body too large",
        detail: $"The request body is larger than {limit} bytes, the server's limit (Workflows:Server:MaxRequestBodyBytes).",
        statusCode: StatusCodes.Status413PayloadTooLarge);

    /// <summary>Form data that breaks the task's form: 422 with every violation, keyed by JSON pointer.</summary>
    public static ProblemHttpResult FormInvalid(FormValidationException error) => TypedResults.Problem(new HttpValidationProblemDetails(
        error.Errors.GroupBy(e => e.Pointer, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray(), StringComparer.Ordinal))
    {
        Title = "Invalid form data",
        Detail = $"The data breaks the form of task '{error.TaskId}' in {error.Errors.Count} place(s); see errors. Nothing was stored.",
        Status = StatusCodes.Status422UnprocessableEntity,
    });

    // ---- conflicts (403, 409) ----

    public static ProblemHttpResult DuplicateCorrelation(DuplicateCorrelationException error) => TypedResults.Problem(
        title: "Duplicate correlation id",
        detail: $"An instance with correlation id '{error.CorrelationId}' exists already: {error.ExistingRunId} (GET /api/instances/{error.ExistingRunId}).",
        statusCode: StatusCodes.Status409Conflict,
        extensions: new Dictionary<string, object?> { ["existingInstanceId"] = error.ExistingRunId });

    public static ProblemHttpResult InstanceEnded(string id, RunStatus status) => TypedResults.Problem(
        title: "Instance has ended",
        detail: $"Instance {id} has ended ({status.ToWireName()}); it takes no more events or cancels.",
        statusCode: StatusCodes.Status409Conflict,
        extensions: new Dictionary<string, object?> { ["instanceStatus"] = status.ToWireName() });

    public static ProblemHttpResult TaskForbidden(TaskForbiddenException error) => TypedResults.Problem(
        title: "Not allowed to complete this task",
        detail: $"{error.Message} The caller is the signed-in user or the API key's user, with their groups.",
        statusCode: StatusCodes.Status403Forbidden);

    public static ProblemHttpResult TaskConflict(TaskConflictException error) => TypedResults.Problem(
        title: "Task cannot be completed",
        detail: error.Message,
        statusCode: StatusCodes.Status409Conflict);

    // ---- who is calling (401, 403, 429) ----

    /// <summary>No identity, or one that could not be checked; <paramref name="reason"/> says what was wrong with it.</summary>
    public static ProblemHttpResult Unauthenticated(string? reason) => TypedResults.Problem(
        title: "Authentication required",
        detail: $"{(reason is null ? "" : reason + " ")}Send an API key in the X-Api-Key header, or sign in (POST /account/signin); see docs/security.md.",
        statusCode: StatusCodes.Status401Unauthorized);

    /// <summary>An authenticated caller without the permission the route needs.</summary>
    public static ProblemHttpResult PermissionMissing(string caller, IReadOnlyList<string> permissions) => TypedResults.Problem(
        title: "Permission missing",
        detail: permissions.Count == 0
            ? $"'{caller}' may not do this."
            : $"'{caller}' lacks the permission {string.Join(" and ", permissions.Select(p => $"'{p}'"))} that this route needs (Workflows:Security).",
        statusCode: StatusCodes.Status403Forbidden,
        extensions: new Dictionary<string, object?> { ["requiredPermissions"] = permissions });

    /// <summary>Too many run starts by one caller; <paramref name="retryAfterSeconds"/> is also in the Retry-After header.</summary>
    public static ProblemHttpResult TooManyStarts(string caller, int? retryAfterSeconds) => TypedResults.Problem(
        title: "Too many run starts",
        detail: $"'{caller}' started runs faster than the server allows (Workflows:Server:RunStartsPerSecond, RunStartBurst)." +
            (retryAfterSeconds is { } seconds ? $" Retry after {seconds} s." : " Retry later."),
        statusCode: StatusCodes.Status429TooManyRequests);

    /// <summary>A sign-in that was not posted as a form.</summary>
    public static ProblemHttpResult SignInNotAForm() => TypedResults.Problem(
        title: "Unsupported media type",
        detail: "Post the sign-in as a form (application/x-www-form-urlencoded) with username, password and returnUrl.",
        statusCode: StatusCodes.Status415UnsupportedMediaType);

    /// <summary>A sign-in or sign-out posted by a page of another site.</summary>
    public static ProblemHttpResult CrossSiteRefused() => TypedResults.Problem(
        title: "Cross-site request refused",
        detail: "Sign-in and sign-out take posts from this server's own pages only.",
        statusCode: StatusCodes.Status403Forbidden);

    /// <summary>Too many sign-in attempts from one address.</summary>
    public static ProblemHttpResult TooManySignIns(int? retryAfterSeconds) => TypedResults.Problem(
        title: "Too many sign-in attempts",
        detail: "Too many sign-in attempts from this address (Workflows:Security:SignInAttemptsPerMinute)." +
            (retryAfterSeconds is { } seconds ? $" Retry after {seconds} s." : " Retry later."),
        statusCode: StatusCodes.Status429TooManyRequests);

    /// <summary>An external event the run did not record within the limit.</summary>
    public static ProblemHttpResult EventNotRecorded(string id, double seconds) => TypedResults.Problem(
        title: "Event not recorded in time",
        detail: $"Instance {id} did not record the event within {seconds} s (Workflows:Server:EventPostTimeoutSeconds); it may still record it. " +
            "Read its event stream before sending it again.",
        statusCode: StatusCodes.Status503ServiceUnavailable);

    /// <summary>Body values over the limits (string length, array length), every one keyed by its JSON pointer.</summary>
    public static ProblemHttpResult OverLimits(IReadOnlyList<(string Pointer, string Message)> violations) => TypedResults.Problem(
        new HttpValidationProblemDetails(violations.GroupBy(v => v.Pointer, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(v => v.Message).ToArray(), StringComparer.Ordinal))
        {
            Title = "Value too large",
            Detail = $"{violations[0].Pointer} {violations[0].Message}{(violations.Count > 1 ? $" ({violations.Count} values over the limits; see errors)" : "")}",
            Status = StatusCodes.Status400BadRequest,
        });

    // ---- the server (503) ----

    public static ProblemHttpResult StoreUnavailable(double timeoutSeconds) => TypedResults.Problem(
        title: "Unhealthy",
        detail: $"The database did not answer (within {timeoutSeconds} s); see the server log.",
        statusCode: StatusCodes.Status503ServiceUnavailable);

    private static ProblemHttpResult Invalid(string title, string detail, Dictionary<string, string[]> errors) =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors) { Title = title, Detail = detail, Status = StatusCodes.Status400BadRequest });

    // ---- what the framework refuses before a handler runs ----

    /// <summary>
    /// The problem for a request the framework could not bind (<see cref="RouteHandlerOptions.ThrowOnBadRequest"/>)
    /// or Kestrel refused: malformed JSON or a wrong type in the body (keyed by the JSON pointer of the field), a query
    /// value of the wrong type (keyed by its name), a missing body, an unsupported content type, a body over the limit.
    /// </summary>
    public static ProblemDetails FromBadRequest(BadHttpRequestException error)
    {
        var parameter = ParameterPattern().Match(error.Message) is { Success: true } match ? match.Groups["name"].Value : null;
        if (parameter is not null)
        {
            parameter = char.ToLowerInvariant(parameter[0]) + parameter[1..];
        }
        switch (error.StatusCode)
        {
            case StatusCodes.Status413PayloadTooLarge:
                return new ProblemDetails { Title = "Request body too large", Detail = error.Message, Status = error.StatusCode };
            case StatusCodes.Status415UnsupportedMediaType:
                return new ProblemDetails { Title = "Unsupported media type", Detail = $"{error.Message} Send the body as JSON with 'Content-Type: application/json'.", Status = error.StatusCode };
        }
        if (error.InnerException is JsonException json)
        {
            var pointer = ToPointer(json.Path);
            var message = Describe(json);
            return new HttpValidationProblemDetails(new Dictionary<string, string[]> { [pointer] = [message] })
            {
                Title = "Malformed request body",
                Detail = ReferenceEquals(message, json.Message)
                    ? $"The body is not valid JSON{(pointer.Length == 0 ? "" : $" (at {pointer})")}: {message}"
                    : $"{(pointer.Length == 0 ? "The body" : pointer)} {message}",
                Status = StatusCodes.Status400BadRequest,
            };
        }
        if (parameter is not null && error.Message.StartsWith("Failed to bind parameter", StringComparison.Ordinal))
        {
            var type = ParameterPattern().Match(error.Message).Groups["type"].Value.Replace("Nullable<", "", StringComparison.Ordinal).TrimEnd('>', '?');
            var value = BoundValuePattern().Match(error.Message) is { Success: true } bound ? bound.Groups["value"].Value : "";
            var message = $"is '{value}', which is not {type switch
            {
                "int" or "long" or "Int32" or "Int64" => "an integer",
                "double" or "decimal" or "float" or "Double" => "a number",
                "bool" or "Boolean" => "true or false",
                _ => $"a valid {type}",
            }}.";
            return new HttpValidationProblemDetails(new Dictionary<string, string[]> { [parameter] = [message] })
            {
                Title = "Invalid parameter",
                Detail = $"'{parameter}' {message}",
                Status = StatusCodes.Status400BadRequest,
            };
        }
        // A body route given no body, or the JSON literal null (`Implicit body inferred for parameter "request" but no body was provided.`).
        if ((parameter is not null && error.Message.StartsWith("Required parameter", StringComparison.Ordinal) && error.Message.EndsWith("from body.", StringComparison.Ordinal))
            || error.Message.StartsWith("Implicit body inferred", StringComparison.Ordinal))
        {
            return new HttpValidationProblemDetails(new Dictionary<string, string[]> { [""] = ["is required: a JSON object"] })
            {
                Title = "Missing request body",
                Detail = "This route needs a JSON object as its body (not null); see the OpenAPI document (/openapi/v1.json) for its shape.",
                Status = StatusCodes.Status400BadRequest,
            };
        }
        if (parameter is not null && error.Message.StartsWith("Required parameter", StringComparison.Ordinal))
        {
            return new HttpValidationProblemDetails(new Dictionary<string, string[]> { [parameter] = ["is required"] })
            {
                Title = "Missing parameter",
                Detail = error.Message,
                Status = StatusCodes.Status400BadRequest,
            };
        }
        return new ProblemDetails { Title = "Bad request", Detail = error.Message, Status = error.StatusCode };
    }

    /// <summary>
    /// Fills what a problem lacks (the framework's bare status codes: unknown route, wrong method, a refused body):
    /// the request path as <c>instance</c>, and a <c>detail</c> saying what to do.
    /// </summary>
    public static void Complete(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        var request = context.HttpContext.Request;
        problem.Instance ??= request.Path;
        problem.Detail ??= problem.Status switch
        {
            StatusCodes.Status400BadRequest => "The request could not be read; see /swagger for this route's parameters and body.",
            StatusCodes.Status404NotFound => $"Nothing answers {request.Method} {request.Path}; /swagger lists the routes.",
            StatusCodes.Status405MethodNotAllowed => $"{request.Path} does not take {request.Method}; /swagger lists the methods it takes.",
            StatusCodes.Status413PayloadTooLarge =>
                $"The request body is larger than {context.HttpContext.RequestServices.GetService<IOptions<WorkflowServerOptions>>()?.Value.MaxRequestBodyBytes} bytes, " +
                "the server's limit (Workflows:Server:MaxRequestBodyBytes).",
            StatusCodes.Status415UnsupportedMediaType => "Send the body as JSON, with 'Content-Type: application/json'.",
            _ => null,
        };
    }

    /// <summary>A JSON error in words a caller can act on: an unknown member, a wrong type, or the parser's own message (with the position).</summary>
    private static string Describe(JsonException error)
    {
        var message = error.Message;
        if (UnmappedMemberPattern().IsMatch(message))
        {
            return "is not a member of this body (see the route's body in /openapi/v1.json; a run's fields go inside 'input').";
        }
        if (ConversionPattern().Match(message) is { Success: true } conversion)
        {
            var type = conversion.Groups["type"].Value;
            var expected = type.EndsWith("[]", StringComparison.Ordinal) || type.Contains("List", StringComparison.Ordinal) || type.EndsWith("JsonArray", StringComparison.Ordinal) ? "an array"
                : type.EndsWith(".String", StringComparison.Ordinal) ? "a string"
                : type.EndsWith(".Boolean", StringComparison.Ordinal) ? "true or false"
                : type.EndsWith(".Int32", StringComparison.Ordinal) || type.EndsWith(".Int64", StringComparison.Ordinal) || type.EndsWith(".Double", StringComparison.Ordinal) || type.EndsWith(".Decimal", StringComparison.Ordinal) ? "a number"
                : "an object";
            return $"has the wrong type: it must be {expected}.";
        }
        return message;
    }

    /// <summary><c>$.input.items[2]</c> → <c>/input/items/2</c>; <c>$</c> or nothing → the whole body (<c>""</c>).</summary>
    internal static string ToPointer(string? jsonPath)
    {
        if (string.IsNullOrEmpty(jsonPath) || jsonPath == "$")
        {
            return "";
        }
        var pointer = new System.Text.StringBuilder();
        foreach (Match segment in PathSegmentPattern().Matches(jsonPath))
        {
            var name = segment.Groups["name"].Success ? segment.Groups["name"].Value
                : segment.Groups["quoted"].Success ? segment.Groups["quoted"].Value
                : segment.Groups["index"].Value;
            pointer.Append('/').Append(PointerToken(name));
        }
        return pointer.ToString();
    }

    /// <summary>A member name as one JSON Pointer reference token (RFC 6901: <c>~</c> → <c>~0</c>, <c>/</c> → <c>~1</c>).</summary>
    internal static string PointerToken(string name) =>
        name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    // `Failed to bind parameter "int? limit" from "abc".`, `Failed to read parameter "StartInstanceRequest request" ...`
    [GeneratedRegex(@"parameter ""(?<type>[^""]*) (?<name>[A-Za-z_][A-Za-z0-9_]*)""")]
    private static partial Regex ParameterPattern();

    [GeneratedRegex(@"The JSON property '.*' could not be mapped to any \.NET member")]
    private static partial Regex UnmappedMemberPattern();

    [GeneratedRegex(@"The JSON value could not be converted to (?<type>[^ ]+?)\.? Path:")]
    private static partial Regex ConversionPattern();

    [GeneratedRegex(@"from ""(?<value>.*)""\.$")]
    private static partial Regex BoundValuePattern();

    [GeneratedRegex("""\.(?<name>[^.\[]+)|\['(?<quoted>(?:[^']|'')*)'\]|\[(?<index>\d+)\]""")]
    private static partial Regex PathSegmentPattern();
}

/// <summary>Answers <see cref="BadHttpRequestException"/> (bad input the framework or Kestrel refused) with a problem from <see cref="Problems.FromBadRequest"/>.</summary>
internal sealed class BadRequestExceptionHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException error || httpContext.Response.HasStarted)
        {
            return false;
        }
        // Through the problem result: it writes the document even when the request's Accept names only another type
        // (an event-stream client), where the problem details service alone would write nothing.
        await TypedResults.Problem(Problems.FromBadRequest(error)).ExecuteAsync(httpContext);
        return true;
    }
}
