using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Server.Tests.Doubles;

namespace Workflows.Server.Tests;

/// <summary>
/// The real server (Program) in memory, with <see cref="GreeterWorkflow"/> (versions 1.0.0 and 1.1.0) registered
/// beside whatever the built-in catalogue holds, and any extra settings given.
/// </summary>
public class ServerFactory : WebApplicationFactory<Program>
{
    /// <summary>Configuration keys and values set before Program runs (they win over every settings file).</summary>
    public Dictionary<string, string?> Settings { get; } = [];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureServices(services =>
        {
            services.AddWorkflow(new GreeterWorkflow("1.0.0"));
            services.AddWorkflow(new GreeterWorkflow("1.1.0"));
        });
    }
}
