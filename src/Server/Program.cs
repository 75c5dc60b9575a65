using Workflows.Server.Endpoints;
using Workflows.Server.Hosting;
using Workflows.Server.Pages;
using Workflows.Server.Security;

// The container's HEALTHCHECK runs the server binary in this mode: the aspnet image ships no curl or wget.
if (HealthCheckCommand.IsRequested(args))
{
    return await HealthCheckCommand.RunAsync(args);
}
// `hash-password` and `new-api-key` print what Workflows:Security stores (docs/security.md).
if (SecurityCommands.IsRequested(args))
{
    return SecurityCommands.Run(args, Console.In, Console.Out, Console.Error);
}

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddWorkflowServer(builder.Configuration); // engine, store (with a connection string), catalogue, security, problems, OpenAPI

var app = builder.Build();
app.UseWorkflowServer(); // problem documents, the body size limit, authentication, authorization, rate limits, /openapi/v1.json, /swagger
app.MapWorkflowsApi();
app.MapInstancesApi();
app.MapEventStreamApi();
app.MapStatusStreamApi();
app.MapTasksApi();
app.MapHealthApi();
app.MapAccountApi();
app.MapPages(); // /, /tasks, /tasks/{id}, /instances/{id}, /signin

await app.RunAsync();
return 0;

/// <summary>The server's entry point; public so that tests can host it with <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public partial class Program;
