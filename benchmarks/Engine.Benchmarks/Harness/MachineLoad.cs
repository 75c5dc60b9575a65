using System.Globalization;

namespace Workflows.Benchmarks.Harness;

/// <summary>
/// How busy the rest of the machine was while we measured: busy CPU time of the whole machine (from /proc/stat,
/// hypervisor steal included) minus our own process's. Other processes' builds or tests on a 2-core machine skew
/// every number, so the harness prints this next to them. Linux only; elsewhere it reports nothing.
/// </summary>
internal sealed class MachineLoad
{
    private readonly (long Busy, long Total)? _machine;
    private readonly TimeSpan _own;

    private MachineLoad((long, long)? machine, TimeSpan own)
    {
        _machine = machine;
        _own = own;
    }

    public static MachineLoad Sample() => new(ReadProcStat(), Environment.CpuUsage.TotalTime);

    /// <summary>Fraction of the machine's CPU capacity (all cores) used by other processes since <paramref name="start"/>; null when unknown.</summary>
    public double? ForeignShareSince(MachineLoad start)
    {
        if (_machine is not { } end || start._machine is not { } begin || end.Total <= begin.Total)
        {
            return null;
        }
        var tick = TimeSpan.FromSeconds(1.0 / 100); // USER_HZ
        var busy = end.Busy - begin.Busy;
        var own = (_own - start._own).Ticks / (double)tick.Ticks;
        return Math.Clamp((busy - own) / (end.Total - begin.Total), 0, 1);
    }

    private static (long Busy, long Total)? ReadProcStat()
    {
        try
        {
            var line = File.ReadLines("/proc/stat").First();
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8)
                .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            var idle = fields[3] + fields[4]; // idle + iowait
            var total = fields.Sum();
            return (total - idle, total);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or FormatException or InvalidOperationException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}
