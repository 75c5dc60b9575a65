using System.Globalization;

namespace Workflows.Benchmarks.Durable;

/// <summary>
/// CPU time of the database server's processes on this machine (Linux: every process whose command is
/// <c>postgres</c>, from /proc/PID/stat), in USER_HZ ticks. PostgreSQL works for the benchmark in processes of its
/// own: their CPU belongs to the durable engine's cost, not to "other processes". 0 where /proc is unreadable.
/// </summary>
internal static class ServerProcessCpu
{
    public const double TicksPerSecond = 100; // USER_HZ

    public static long PostgresTicks()
    {
        var ticks = 0L;
        try
        {
            foreach (var directory in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out _))
                {
                    continue;
                }
                try
                {
                    var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                    var open = stat.IndexOf('(');
                    var close = stat.LastIndexOf(')');
                    if (open < 0 || close < open || stat[(open + 1)..close] != "postgres")
                    {
                        continue;
                    }
                    var fields = stat[(close + 2)..].Split(' ');
                    ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture); // utime, stime
                }
                catch (Exception error) when (error is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
                {
                    // The process ended meanwhile, or is not readable.
                }
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
        return ticks;
    }

    /// <summary>Cores used over <paramref name="elapsed"/> by <paramref name="ticks"/> of CPU time.</summary>
    public static double Cores(long ticks, TimeSpan elapsed) => elapsed <= TimeSpan.Zero ? 0 : ticks / TicksPerSecond / elapsed.TotalSeconds;
}
