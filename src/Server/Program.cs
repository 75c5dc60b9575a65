using Workflows.Server.Endpoints;
using Workflows.Server.Hosting;

// The container's HEALTHCHECK runs the server binary in this mode: the aspnet image ships no curl or wget.
if (HealthCheckCommand.IsRequested(args))
{
    return await HealthCheckCommand.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddWorkflowServer(builder.Configuration);

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapOpenApi();
app.UseSwaggerUI(options => options.SwaggerEndpoint("/openapi/v1.json", "Workflows API v1"));
app.MapWorkflowsApi();

await app.RunAsync();
return 0;

/// <summary>The server's entry point; public so that tests can host it with <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public partial class Program;
