using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Server.Security;

namespace Workflows.Pages.Tests;

/// <summary>
/// The real server (Program) on Kestrel at 127.0.0.1 and a free port, so that a browser can reach it; runs in
/// memory; the built-in catalogue plus the test definitions of <see cref="TestDefinitions"/>. Security is Enforced,
/// with the people of <see cref="People"/> (password <see cref="Password"/>) and one API key for arranging runs
/// (<see cref="ApiKey"/>); or, with <c>development: true</c>, Development mode.
/// </summary>
public sealed class PagesServer : WebApplicationFactory<Program>
{
    /// <summary>Every test person's password.</summary>
    public const string Password = "correct horse battery staple";

    /// <summary>The key the tests use to arrange runs through the API: every permission, in every group.</summary>
    public const string ApiKey = "pages-tests-key-0123456789abcdef";

    /// <summary>The people who sign in: name, groups, permissions.</summary>
    public static IReadOnlyList<(string Name, string[] Groups, string[] Permissions)> People { get; } =
    [
        ("lee", ["legal"], ["runs:read", "tasks:complete"]),
        ("fay", ["finance"], ["runs:read", "tasks:complete"]),
        ("sam", ["security"], ["runs:read", "tasks:complete"]),
        ("cleo", ["claims"], ["runs:read", "tasks:complete"]),
        ("kim", ["claims"], ["runs:read", "tasks:complete"]),
        ("olga", ["claims"], ["runs:read", "tasks:complete"]),
        ("rita", [], ["runs:read", "tasks:complete"]),
        ("watcher", [], ["runs:read"]),
        ("dana", ["operations"], ["runs:start", "runs:read", "runs:cancel"]),
    ];

    private readonly bool _development;

    public PagesServer(bool development = false)
    {
        _development = development;
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
        if (_development)
        {
            builder.UseSetting("Workflows:Security:Mode", "Development");
        }
        else
        {
            builder.UseSetting("Workflows:Security:Mode", "Enforced");
            builder.UseSetting("Workflows:Security:SignInAttemptsPerMinute", "0"); // every test signs in from 127.0.0.1
            // The fewest iterations the server takes: signing in stays quick.
            var hash = PasswordHashing.Hash(Password, PasswordHashing.MinimumIterations);
            foreach (var (name, groups, permissions) in People)
            {
                builder.UseSetting($"Workflows:Security:Users:{name}:PasswordHash", hash);
                for (var i = 0; i < groups.Length; i++)
                {
                    builder.UseSetting($"Workflows:Security:Users:{name}:Groups:{i}", groups[i]);
                }
                for (var i = 0; i < permissions.Length; i++)
                {
                    builder.UseSetting($"Workflows:Security:Users:{name}:Permissions:{i}", permissions[i]);
                }
            }
            builder.UseSetting("Workflows:Security:ApiKeys:pages-tests:Hash",
                "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(ApiKey))));
            builder.UseSetting("Workflows:Security:ApiKeys:pages-tests:User", "robot");
            builder.UseSetting("Workflows:Security:ApiKeys:pages-tests:Permissions:0", "*");
            string[] allGroups = ["legal", "finance", "security", "claims"];
            for (var i = 0; i < allGroups.Length; i++)
            {
                builder.UseSetting($"Workflows:Security:ApiKeys:pages-tests:Groups:{i}", allGroups[i]);
            }
        }
        builder.ConfigureServices(services =>
        {
            foreach (var definition in TestDefinitions.All())
            {
                services.AddWorkflow(definition);
            }
        });
    }
}
