using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;

namespace Workflows.Crash.Tests;

/// <summary>
/// The real server as a child process (<c>dotnet Workflows.Server.dll</c>) on a free 127.0.0.1 port, durable on one
/// SQLite file. <see cref="Kill"/> sends SIGKILL (no shutdown code runs); <see cref="StartAsync"/> starts it again on
/// the same file. Disposing kills whatever is still running.
/// </summary>
internal sealed class ServerProcess(string serverDll, string databaseFile, string logFile, IReadOnlyDictionary<string, string>? environment = null) : IDisposable
{
    private readonly Lock _logGate = new();
    private Process? _process;

    /// <summary>The running server's address, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri? BaseAddress { get; private set; }

    /// <summary>How many times the server was started.</summary>
    public int Starts { get; private set; }

    /// <summary>
    /// The server's Workflows.Server.dll: <c>WORKFLOWS_CRASH_SERVER_DLL</c> when set, else the build output of
    /// src/Server for the configuration this test assembly was built in (the test project's ProjectReference builds it).
    /// </summary>
    public static string FindServerDll()
    {
        if (Environment.GetEnvironmentVariable("WORKFLOWS_CRASH_SERVER_DLL") is { Length: > 0 } configured)
        {
            return File.Exists(configured) ? configured : throw new FileNotFoundException($"WORKFLOWS_CRASH_SERVER_DLL names no file: {configured}");
        }
        var configuration = typeof(ServerProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Workflows.sln")))
            {
                var dll = Path.Combine(dir.FullName, "src", "Server", "bin", configuration, "net10.0", "Workflows.Server.dll");
                return File.Exists(dll) ? dll : throw new FileNotFoundException($"The server is not built: {dll} is missing (build Workflows.sln in {configuration}).");
            }
        }
        throw new DirectoryNotFoundException($"No Workflows.sln above {AppContext.BaseDirectory}; set WORKFLOWS_CRASH_SERVER_DLL.");
    }

    /// <summary>Starts the server on a new free port and waits until <c>GET /health</c> answers 200.</summary>
    public async Task StartAsync(HttpClient http, TimeSpan within, CancellationToken cancellationToken)
    {
        if (_process is { HasExited: false })
        {
            throw new InvalidOperationException("The server is already running.");
        }
        var port = FreePort();
        var address = new Uri($"http://127.0.0.1:{port}");
        var contentRoot = Path.GetDirectoryName(serverDll)!;
        var start = new ProcessStartInfo(DotnetHost())
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = contentRoot,
        };
        foreach (var argument in new[] { serverDll, "--urls", address.ToString().TrimEnd('/'), "--contentRoot", contentRoot })
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["ConnectionStrings__Workflows"] = $"Data Source={databaseFile}";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment.Remove("ASPNETCORE_URLS");
        start.Environment.Remove("DOTNET_URLS");
        // Quiet, except the runtime's own messages: "Resumed run ..." lines are counted, errors are reported.
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__Workflows.Runtime"] = "Information";
        start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        start.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        start.Environment["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ";

        Starts++;
        var generation = Starts;
        Log($"---- start {generation}: {address} ----");
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { Log($"[{generation}] {e.Data}"); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Log($"[{generation}:err] {e.Data}"); } };
        if (!process.Start())
        {
            throw new InvalidOperationException("The server process did not start.");
        }
        _process = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = Stopwatch.StartNew();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The server exited with code {process.ExitCode} while starting; its log:\n{Tail(60)}");
            }
            try
            {
                using var probe = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                using var health = await http.GetAsync(new Uri(address, "/health"), probe.Token);
                if (health.StatusCode == HttpStatusCode.OK)
                {
                    BaseAddress = address;
                    return;
                }
            }
            catch (Exception error) when (error is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // not listening yet
            }
            if (deadline.Elapsed > within)
            {
                throw new TimeoutException($"The server did not answer /health within {within.TotalSeconds} s; its log:\n{Tail(60)}");
            }
            await Task.Delay(50, cancellationToken);
        }
    }

    /// <summary>SIGKILL: the process ends at once, in the middle of whatever it was doing.</summary>
    public void Kill()
    {
        var process = _process ?? throw new InvalidOperationException("The server is not running.");
        Log($"---- SIGKILL {Starts} ----");
        BaseAddress = null;
        process.Kill(entireProcessTree: true);
        if (!process.WaitForExit(15_000))
        {
            throw new TimeoutException("The killed server process did not exit within 15 s.");
        }
        process.WaitForExit(); // drains the output readers
        process.Dispose();
        _process = null;
    }

    /// <summary>The server's output so far (every start), for counting and for failure messages.</summary>
    public string[] LogLines()
    {
        lock (_logGate)
        {
            return File.Exists(logFile) ? File.ReadAllLines(logFile) : [];
        }
    }

    /// <summary>The last <paramref name="lines"/> lines of the server's output.</summary>
    public string Tail(int lines) => string.Join('\n', LogLines().TakeLast(lines));

    public void Dispose()
    {
        if (_process is { } process)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    process.WaitForExit(15_000);
                }
            }
            catch (InvalidOperationException)
            {
                // already gone
            }
            process.Dispose();
            _process = null;
        }
    }

    private void Log(string line)
    {
        lock (_logGate)
        {
            File.AppendAllText(logFile, line + "\n");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The dotnet host running this test (so the server runs on the same SDK's runtime).</summary>
    private static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            return host;
        }
        if (Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet")
        {
            return path;
        }
        return "dotnet";
    }
}
