using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Workflows.Pages.Tests;

/// <summary>
/// The real server (Program) on Kestrel at 127.0.0.1 and a free port, so that a browser can reach it; runs in
/// memory; the built-in catalogue plus the test definitions of <see cref="TestDefinitions"/>.
/// </summary>
public sealed class PagesServer : WebApplicationFactory<Program>
{
    public PagesServer()
    {
        UseKestrel(0);
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
    }

    /// <summary>Where the server listens, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The engine behind the server.</summary>
    public LocalExecutionEngine Engine => Services.GetRequiredService<LocalExecutionEngine>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:Workflows", "");
        builder.UseSetting("Workflows:Server:KeepAliveSeconds", "1");
        builder.ConfigureServices(services =>
        {
            foreach (var definition in TestDefinitions.All())
            {
                services.AddWorkflow(definition);
            }
        });
    }
}
