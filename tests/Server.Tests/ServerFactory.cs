using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Server.Tests.Doubles;

namespace Workflows.Server.Tests;

/// <summary>
/// The real server (Program) in memory, with the test workflows (<see cref="GreeterWorkflow"/> versions 1.0.0 and
/// 1.1.0, <see cref="AwaitsPaymentWorkflow"/>, <see cref="TimesOutWorkflow"/>, <see cref="OverdueReviewWorkflow"/>)
/// registered beside whatever the built-in catalogue holds, and any extra settings given. The connection string of
/// appsettings.json is blanked, so runs live in memory unless a test sets one. Security is in Development mode (the
/// caller is X-User with X-Groups, with every permission): the tests of security itself use <see cref="Security.SecureServerFactory"/>.
/// </summary>
public class ServerFactory : WebApplicationFactory<Program>
{
    /// <summary>The names of the workflows this factory registers besides the catalogue.</summary>
    public static IReadOnlyList<string> TestWorkflowNames { get; } =
        [GreeterWorkflow.WorkflowName, AwaitsPaymentWorkflow.WorkflowName, TimesOutWorkflow.WorkflowName, OverdueReviewWorkflow.WorkflowName];

    /// <summary>Configuration keys and values set before Program runs (they win over every settings file).</summary>
    public Dictionary<string, string?> Settings { get; } = new()
    {
        ["ConnectionStrings:Workflows"] = "",
        ["Workflows:Security:Mode"] = "Development",
    };

    /// <summary>More service registrations, applied after Program's.</summary>
    public Action<IServiceCollection>? ConfigureTestServices { get; init; }

    /// <summary>The engine behind the server.</summary>
    public LocalExecutionEngine Engine => Services.GetRequiredService<LocalExecutionEngine>();

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
            services.AddWorkflow(new AwaitsPaymentWorkflow());
            services.AddWorkflow(new TimesOutWorkflow());
            services.AddWorkflow(new OverdueReviewWorkflow());
            ConfigureTestServices?.Invoke(services);
        });
    }
}
