using System.Globalization;

namespace Workflows.Benchmarks.Http;

/// <summary>
/// CPU accounting of one pass (Linux): the machine's busy time (/proc/stat, hypervisor steal included), this
/// process's, and the server's (/proc/PID/stat) when its id is known; what is left is other processes'.
/// </summary>
internal sealed class PassLoad
{
    private const double TicksPerSecond = 100; // USER_HZ

    private readonly (long Busy, long Total)? _machine;
    private readonly TimeSpan _own;
    private readonly long? _server;
    private readonly int? _serverPid;
    private readonly DateTime _at = DateTime.UtcNow;

    private PassLoad(int? serverPid)
    {
        _serverPid = serverPid;
        _machine = Machine();
        _own = Environment.CpuUsage.TotalTime;
        _server = serverPid is { } pid ? ProcessTicks(pid) : null;
    }

    public static PassLoad Sample(int? serverPid) => new(serverPid);

    /// <summary>CPU milliseconds the server (null without its id) and this process used since <paramref name="start"/>.</summary>
    public (double? ServerMs, double OwnMs) CpuSince(PassLoad start) =>
        (_server is { } s && start._server is { } s0 ? (s - s0) * 1000 / TicksPerSecond : null, (_own - start._own).TotalMilliseconds);

    /// <summary>e.g. "server 1.62 cores, this client 0.31 cores, other processes 3 %"; empty where /proc is unreadable.</summary>
    public string Since(PassLoad start)
    {
        if (_machine is not { } end || start._machine is not { } begin || end.Total <= begin.Total)
        {
            return "";
        }
        var seconds = (_at - start._at).TotalSeconds;
        var own = (_own - start._own).TotalSeconds * TicksPerSecond;
        var server = _server is { } s && start._server is { } s0 ? s - s0 : (long?)null;
        var foreign = Math.Clamp((end.Busy - begin.Busy - own - (server ?? 0)) / (end.Total - begin.Total), 0, 1);
        var parts = new List<string>();
        if (server is { } ticks)
        {
            parts.Add($"server {ticks / TicksPerSecond / seconds:0.00} cores");
        }
        parts.Add($"this client {own / TicksPerSecond / seconds:0.00} cores");
        parts.Add(server is null
            ? $"other processes (the server included: no --server-pid) {foreign:P0}"
            : $"other processes (and hypervisor steal) {foreign:P0} of the machine's CPU{(foreign > 0.15 ? " (noisy: rerun on a quiet machine)" : "")}");
        return string.Join(", ", parts);
    }

    private static (long Busy, long Total)? Machine()
    {
        try
        {
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8)
                .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            var idle = fields[3] + fields[4];
            var total = fields.Sum();
            return (total - idle, total);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or FormatException or InvalidOperationException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    private static long? ProcessTicks(int pid)
    {
        try
        {
            // The command name (field 2) may hold spaces: count from the closing parenthesis.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(rest[11], CultureInfo.InvariantCulture) + long.Parse(rest[12], CultureInfo.InvariantCulture); // utime, stime
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }
}
