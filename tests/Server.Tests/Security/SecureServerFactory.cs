using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Workflows.Server.Security;

namespace Workflows.Server.Tests.Security;

/// <summary>
/// The server in Enforced mode with test users and keys, capturing every log line (Trace and up) so that tests can
/// search them. Users sign in with <see cref="PasswordOf"/>; each key's permissions are in its name.
/// </summary>
public class SecureServerFactory : ServerFactory
{
    /// <summary>A key with runs:read only.</summary>
    public const string ReaderKey = "test-reader-key-4c7d0f3e9b2a41d8a6e5";

    /// <summary>A key with runs:start and runs:read.</summary>
    public const string StarterKey = "test-starter-key-91b3e2d4c5f6a7b8c9d0";

    /// <summary>A key with runs:cancel and runs:read.</summary>
    public const string CancelerKey = "test-canceler-key-0a1b2c3d4e5f60718293";

    /// <summary>A key acting as <c>sam</c> in group <c>security</c>, with tasks:complete and runs:read.</summary>
    public const string SecurityApproverKey = "test-sam-key-5e6f7a8b9c0d1e2f3a4b5c6d";

    /// <summary>A key acting as <c>olga</c> in group <c>marketing</c>, with tasks:complete and runs:read.</summary>
    public const string OutsiderKey = "test-olga-key-aa11bb22cc33dd44ee55ff66";

    /// <summary>A key with every permission (<c>*</c>).</summary>
    public const string AdminKey = "test-admin-key-77e1d2c3b4a5968778695a4b";

    /// <summary>Every key this factory configures.</summary>
    public static IReadOnlyList<string> AllKeys { get; } = [ReaderKey, StarterKey, CancelerKey, SecurityApproverKey, OutsiderKey, AdminKey];

    /// <summary>alice: groups finance and staff; runs:read, runs:start, tasks:complete. bob: runs:read only.</summary>
    public static string PasswordOf(string user) => $"{user}-correct-horse-battery";

    /// <summary>Every log line the server wrote, with its category.</summary>
    public ConcurrentQueue<string> Logs { get; } = new();

    public SecureServerFactory()
    {
        Settings["Workflows:Security:Mode"] = "Enforced";
        // Every test client comes from the same (unknown) address; RateLimitTests lowers this again.
        Settings["Workflows:Security:SignInAttemptsPerMinute"] = "1000";
        AddKey("reader", ReaderKey, user: null, groups: [], Permissions.RunsRead);
        AddKey("starter", StarterKey, user: null, groups: [], Permissions.RunsStart, Permissions.RunsRead);
        AddKey("canceler", CancelerKey, user: null, groups: [], Permissions.RunsCancel, Permissions.RunsRead);
        AddKey("sam-bot", SecurityApproverKey, user: "sam", groups: ["security"], Permissions.TasksComplete, Permissions.RunsRead);
        AddKey("olga-bot", OutsiderKey, user: "olga", groups: ["marketing"], Permissions.TasksComplete, Permissions.RunsRead);
        AddKey("admin", AdminKey, user: null, groups: [], Permissions.Everything);
        AddUser("alice", ["finance", "staff"], Permissions.RunsRead, Permissions.RunsStart, Permissions.TasksComplete);
        AddUser("bob", [], Permissions.RunsRead);
    }

    /// <summary>Adds a key to the configuration, stored as its hash like a deployment would.</summary>
    public void AddKey(string name, string key, string? user, string[] groups, params string[] permissions)
    {
        var at = $"Workflows:Security:ApiKeys:{name}";
        Settings[$"{at}:Hash"] = ApiKeyHashing.Hash(key);
        Settings[$"{at}:User"] = user;
        for (var i = 0; i < groups.Length; i++)
        {
            Settings[$"{at}:Groups:{i}"] = groups[i];
        }
        for (var i = 0; i < permissions.Length; i++)
        {
            Settings[$"{at}:Permissions:{i}"] = permissions[i];
        }
    }

    private void AddUser(string name, string[] groups, params string[] permissions)
    {
        var at = $"Workflows:Security:Users:{name}";
        // The cheapest cost the server accepts: the tests sign in often.
        Settings[$"{at}:PasswordHash"] = PasswordHashing.Hash(PasswordOf(name), PasswordHashing.MinimumIterations);
        for (var i = 0; i < groups.Length; i++)
        {
            Settings[$"{at}:Groups:{i}"] = groups[i];
        }
        for (var i = 0; i < permissions.Length; i++)
        {
            Settings[$"{at}:Permissions:{i}"] = permissions[i];
        }
    }

    /// <summary>A client that sends <paramref name="key"/> in X-Api-Key (none when null).</summary>
    public HttpClient CreateClient(string? key)
    {
        var client = CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add(SecuritySchemes.ApiKeyHeader, key);
        }
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(new CapturingLoggerProvider(Logs)));
    }

    private sealed class CapturingLoggerProvider(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, lines);

        public void Dispose()
        {
        }
    }

    private sealed class CapturingLogger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            // The message and every structured value: a key hidden in a parameter the message omits still counts.
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {values} {exception}");
        }
    }
}
