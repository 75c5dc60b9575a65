using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;

namespace Workflows.Server.Hosting;

/// <summary>The OpenAPI document (<c>/openapi/v1.json</c>): its title and description, and examples for bodies, problems and parameters.</summary>
internal static class OpenApiConfiguration
{
    /// <summary>The security scheme's name in the document.</summary>
    public const string ApiKeyScheme = "ApiKey";

    private static OpenApiResponse Problem(string description) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.Object } } },
    };

    /// <summary>Request body examples by operation id.</summary>
    private static readonly Dictionary<string, string> s_requestExamples = new(StringComparer.Ordinal)
    {
        ["StartInstance"] = """{"input": {"delaysMs": {"email": 300, "slack": 100, "sms": 200}}, "correlationId": "order-1001"}""",
        ["CancelInstance"] = """{"reason": "no longer needed"}""",
        ["SendInstanceEvent"] = """{"type": "payment", "data": {"amount": 12.5}}""",
        ["CompleteTask"] = """{"approved": true, "risk_level": "low"}""",
    };

    /// <summary>Problem examples by operation id and status code.</summary>
    private static readonly Dictionary<(string Operation, string Status), string> s_problemExamples = new()
    {
        [("StartInstance", "400")] = """{"title": "Malformed request body", "status": 400, "detail": "/input has the wrong type: it must be an object.", "errors": {"/input": ["has the wrong type: it must be an object."]}}""",
        [("StartInstance", "404")] = """{"title": "Workflow not found", "status": 404, "detail": "No workflow named 'no_such_workflow' is registered. GET /api/workflows lists the registered names."}""",
        [("StartInstance", "409")] = """{"title": "Duplicate correlation id", "status": 409, "detail": "An instance with correlation id 'order-1001' exists already: 0197c1d2e3f4...", "existingInstanceId": "0197c1d2e3f4..."}""",
        [("ListInstances", "400")] = """{"title": "Invalid parameter", "status": 400, "detail": "'status' is 'done'; use one of pending, running, waiting, completed, failed, canceled, timed_out.", "errors": {"status": ["is 'done'; use one of pending, running, waiting, completed, failed, canceled, timed_out."]}}""",
        [("CountInstances", "404")] = """{"title": "Workflow not found", "status": 404, "detail": "No workflow named 'no_such_workflow' is registered. GET /api/workflows lists the registered names."}""",
        [("CancelInstance", "409")] = """{"title": "Instance has ended", "status": 409, "detail": "Instance 0197c1d2e3f4... has ended (completed); it takes no more events or cancels.", "instanceStatus": "completed"}""",
        [("CompleteTask", "403")] = """{"title": "Not allowed to complete this task", "status": 403, "detail": "Task '...' may be completed only by a member of 'security'; 'alice' is not. The caller is the signed-in user or the API key's user, with their groups."}""",
        [("CompleteTask", "422")] = """{"title": "Invalid form data", "status": 422, "detail": "The data breaks the form of task '...' in 2 place(s); see errors. Nothing was stored.", "errors": {"/approved": ["must be a boolean"], "/risk_level": ["is required"]}}""",
    };

    /// <summary>
    /// The other media types a 200 answer may have, beside the JSON the handler's signature declares, by operation id:
    /// the graphs' Mermaid text and HTML page, and the event stream.
    /// </summary>
    private static readonly Dictionary<string, (string ContentType, string Example)[]> s_textAnswers = new(StringComparer.Ordinal)
    {
        ["GetWorkflowGraph"] = [("text/plain", "flowchart TD\n    n0[\"process ▶\"]\n    n1[\"send_email\"]\n    n0 --> n1\n"), ("text/html", "<!DOCTYPE html>...")],
        ["GetInstanceGraph"] = [("text/plain", "flowchart TD\n    n0[\"process ▶\"]\n    n1[\"send_email\"]\n    n0 --> n1\n    classDef done fill:#d4edda,stroke:#2e7d32\n    class n0,n1 done\n"), ("text/html", "<!DOCTYPE html>...")],
        ["GetInstanceEvents"] =
        [
            ("text/event-stream",
                "id: 1\nevent: run.started\ndata: {\"instanceId\":\"0197c1d2e3f4\",\"workflow\":\"parallel_notify\",\"sequence\":1,\"timestamp\":\"2025-01-01T12:00:00+00:00\"}\n\n" +
                "id: 2\nevent: step.started\ndata: {\"instanceId\":\"0197c1d2e3f4\",\"step\":\"process\",\"worker\":0,\"attempt\":1,\"group\":null,\"sequence\":2,\"timestamp\":\"2025-01-01T12:00:00+00:00\"}\n\n" +
                ": keep-alive\n\n"),
        ],
    };

    /// <summary>Path and query parameter examples by name.</summary>
    private static readonly Dictionary<string, string> s_parameterExamples = new(StringComparer.Ordinal)
    {
        ["name"] = "parallel_notify",
        ["format"] = "mermaid",
        ["status"] = "running",
    };

    public static IServiceCollection AddWorkflowOpenApi(this IServiceCollection services) => services.AddOpenApi(options =>
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Workflows API";
            document.Info.Description =
                "Workflow definitions, runs (instances) with their event streams (Server-Sent Events) and drawings, and human tasks. " +
                "Every error is an RFC 7807 problem document. Every route but /health needs an API key in X-Api-Key (Authorize above) or the " +
                "sign-in cookie, with the route's permission (runs:start, runs:cancel, runs:read, tasks:complete): 401 without, 403 without the permission. " +
                "In Development mode every request may do anything, as the user in X-User with the groups in X-Groups. See docs/security.md.";
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[ApiKeyScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = Security.SecuritySchemes.ApiKeyHeader,
                Description = "An API key from Workflows:Security:ApiKeys (docs/security.md).",
            };
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            var permissions = metadata.OfType<IAuthorizeData>().Select(a => a.Policy).OfType<string>().ToArray();
            if (metadata.OfType<IAllowAnonymous>().Any() || !metadata.OfType<IAuthorizeData>().Any())
            {
                return Task.CompletedTask;
            }
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyScheme, context.Document)] = [] }];
            operation.Responses ??= [];
            operation.Responses.TryAdd("401", Problem("No API key or sign-in, or an unknown key."));
            operation.Responses.TryAdd("403", Problem(permissions.Length == 0 ? "Not allowed." : $"The caller lacks {string.Join(", ", permissions)}."));
            if (permissions.Length > 0)
            {
                operation.Description = $"{operation.Description} Permission: {string.Join(", ", permissions)}.".Trim();
            }
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, _, _) =>
        {
            if (operation.OperationId is not { } id)
            {
                return Task.CompletedTask;
            }
            if (s_requestExamples.TryGetValue(id, out var body) && operation.RequestBody?.Content is { } content)
            {
                foreach (var media in content.Values)
                {
                    media.Example = JsonNode.Parse(body);
                }
            }
            foreach (var (code, response) in operation.Responses ?? [])
            {
                if (s_problemExamples.TryGetValue((id, code), out var problem) && response.Content is { } problemContent)
                {
                    foreach (var media in problemContent.Values)
                    {
                        media.Example = JsonNode.Parse(problem);
                    }
                }
            }
            if (s_textAnswers.TryGetValue(id, out var answers) && operation.Responses?.TryGetValue("200", out var ok) == true && ok.Content is { } okContent)
            {
                foreach (var (contentType, example) in answers)
                {
                    okContent[contentType] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String }, Example = JsonValue.Create(example) };
                }
            }
            foreach (var parameter in operation.Parameters ?? [])
            {
                if (parameter is OpenApiParameter concrete && concrete.Name is { } name && s_parameterExamples.TryGetValue(name, out var example)
                    && !(id.Contains("Task", StringComparison.Ordinal) && name == "status"))
                {
                    concrete.Example = JsonValue.Create(example);
                }
            }
            return Task.CompletedTask;
        });
    });
}
