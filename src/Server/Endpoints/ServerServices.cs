using Microsoft.Extensions.Options;
using Workflows.Server.Hosting;

namespace Workflows.Server.Endpoints;

/// <summary>The services the API handlers share, bound with <c>[AsParameters]</c>.</summary>
/// <param name="Engine">The engine.</param>
/// <param name="Options">The server's settings.</param>
/// <param name="Time">The clock (task deadlines).</param>
internal sealed record ServerServices(LocalExecutionEngine Engine, IOptions<WorkflowServerOptions> Options, TimeProvider Time)
{
    public WorkflowRegistry Registry => Engine.Registry;
}
