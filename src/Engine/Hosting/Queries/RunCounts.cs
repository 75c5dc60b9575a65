namespace Workflows;

/// <summary>How many runs there are in each status: every status is present, 0 when no run has it.</summary>
public sealed record RunCounts
{
    private static readonly RunStatus[] s_statuses = Enum.GetValues<RunStatus>();

    private RunCounts(IReadOnlyDictionary<RunStatus, long> byStatus, long total)
    {
        ByStatus = byStatus;
        Total = total;
    }

    /// <summary>No runs at all.</summary>
    public static RunCounts None { get; } = From([]);

    /// <summary>Every status, in lifecycle order (<c>pending</c> first), with its number of runs.</summary>
    public IReadOnlyDictionary<RunStatus, long> ByStatus { get; }

    /// <summary>Every run, whatever its status.</summary>
    public long Total { get; }

    /// <summary>The number of runs in <paramref name="status"/>.</summary>
    public long this[RunStatus status] => ByStatus[status];

    /// <summary>Counts from (status, number) pairs: a status may come more than once (its numbers add up) or not at all (0).</summary>
    public static RunCounts From(IEnumerable<KeyValuePair<RunStatus, long>> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var byStatus = s_statuses.ToDictionary(s => s, _ => 0L);
        foreach (var (status, count) in groups)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(count, nameof(groups));
            byStatus[status] += count;
        }
        return new RunCounts(byStatus, byStatus.Values.Sum());
    }
}
