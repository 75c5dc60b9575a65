using System.Globalization;

namespace Workflows.Model;

/// <summary>
/// Orders versions as semantic versions: numeric parts compared as numbers (1.10.0 &gt; 1.9.0), a pre-release
/// (1.0.0-beta) before its release, anything else by ordinal text.
/// </summary>
internal sealed class SemanticVersionComparer : IComparer<string>
{
    public static SemanticVersionComparer Instance { get; } = new();

    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }
        if (x is null || y is null)
        {
            return x is null ? -1 : 1;
        }
        var (xCore, xPre) = Split(x);
        var (yCore, yPre) = Split(y);
        var xs = xCore.Split('.');
        var ys = yCore.Split('.');
        for (var i = 0; i < Math.Max(xs.Length, ys.Length); i++)
        {
            var a = i < xs.Length ? xs[i] : "0";
            var b = i < ys.Length ? ys[i] : "0";
            var order = long.TryParse(a, NumberStyles.None, CultureInfo.InvariantCulture, out var na)
                && long.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out var nb)
                ? na.CompareTo(nb)
                : string.CompareOrdinal(a, b);
            if (order != 0)
            {
                return order;
            }
        }
        return (xPre, yPre) switch
        {
            (null, null) => string.CompareOrdinal(x, y),
            (null, _) => 1,
            (_, null) => -1,
            _ => string.CompareOrdinal(xPre, yPre),
        };
    }

    private static (string Core, string? PreRelease) Split(string version)
    {
        var dash = version.IndexOf('-', StringComparison.Ordinal);
        return dash < 0 ? (version, null) : (version[..dash], version[(dash + 1)..]);
    }
}
