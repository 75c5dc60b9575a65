using Workflows.Server.Endpoints;
using Workflows.Server.Hosting;
using Workflows.Server.Pages;

// The container's HEALTHCHECK runs the server binary in this mode: the aspnet image ships no curl or wget.
if (HealthCheckCommand.IsRequested(args))
{
    return await HealthCheckCommand.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddWorkflowServer(builder.Configuration); // engine, store (with a connection string), catalogue, problems, OpenAPI

var app = builder.Build();
app.UseWorkflowServer(); // problem documents, the body size limit, /openapi/v1.json, /swagger
app.MapWorkflowsApi();
app.MapInstancesApi();
app.MapEventStreamApi();
app.MapStatusStreamApi();
app.MapTasksApi();
app.MapHealthApi();
app.MapPages(); // /, /tasks, /tasks/{id}, /instances/{id}, /signin

await app.RunAsync();
return 0;

/// <summary>The server's entry point; public so that tests can host it with <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public partial class Program;
