using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Workflows.Persistence.EntityFramework;

/// <summary>
/// Timestamps are stored in UTC at microsecond precision on both providers (PostgreSQL's <c>timestamptz</c>
/// resolution; SQLite keeps microseconds since the Unix epoch in an INTEGER column), so both return the same values.
/// </summary>
internal static class StoreTime
{
    /// <summary>Whole microseconds since the Unix epoch, rounded toward the past.</summary>
    public static long ToUnixMicroseconds(DateTimeOffset value)
    {
        var ticks = value.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var micros = ticks / TimeSpan.TicksPerMicrosecond;
        return ticks % TimeSpan.TicksPerMicrosecond < 0 ? micros - 1 : micros;
    }

    public static DateTimeOffset FromUnixMicroseconds(long value) =>
        new(DateTimeOffset.UnixEpoch.UtcTicks + (value * TimeSpan.TicksPerMicrosecond), TimeSpan.Zero);

    /// <summary>The instant as stored and read back: UTC, sub-microsecond ticks dropped.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset value) => FromUnixMicroseconds(ToUnixMicroseconds(value));
}

/// <summary>SQLite's mapping of <see cref="DateTimeOffset"/>: microseconds since the Unix epoch, UTC.</summary>
internal sealed class UnixMicrosecondsConverter() : ValueConverter<DateTimeOffset, long>(
    value => StoreTime.ToUnixMicroseconds(value),
    value => StoreTime.FromUnixMicroseconds(value));
