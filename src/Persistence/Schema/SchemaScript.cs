using System.Globalization;
using System.Text.RegularExpressions;

namespace Workflows.Persistence.EntityFramework.Schema;

/// <summary>One versioned schema script (<c>Schema/Sqlite/001_initial.sql</c>).</summary>
/// <param name="Version">From the file name's number: 1, 2, … with no gaps.</param>
/// <param name="Name">The file name without extension (<c>001_initial</c>), recorded in <c>schema_version</c>.</param>
/// <param name="Sql">The statements, run in one transaction with the others being applied.</param>
internal sealed record SchemaScript(int Version, string Name, string Sql);

/// <summary>The scripts embedded in this assembly, per provider folder.</summary>
internal static partial class SchemaScripts
{
    /// <summary>The scripts of <paramref name="folder"/> (<c>Sqlite</c>, <c>Postgres</c>) in version order.</summary>
    public static IReadOnlyList<SchemaScript> Embedded(string folder)
    {
        var assembly = typeof(SchemaScripts).Assembly;
        var prefix = $"Schema/{folder}/";
        var scripts = new List<SchemaScript>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            scripts.Add(Parse(resource[prefix.Length..], reader.ReadToEnd()));
        }
        return Ordered(scripts);
    }

    /// <summary>A script from its file name (<c>NNN_name.sql</c>) and text.</summary>
    public static SchemaScript Parse(string fileName, string sql)
    {
        var match = FileNamePattern().Match(fileName);
        if (!match.Success)
        {
            throw new InvalidOperationException($"Schema script '{fileName}' is not named NNN_name.sql.");
        }
        return new SchemaScript(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), Path.GetFileNameWithoutExtension(fileName), sql);
    }

    /// <summary>Checks that versions run 1, 2, … without gaps or repeats, and returns them in that order.</summary>
    public static IReadOnlyList<SchemaScript> Ordered(IEnumerable<SchemaScript> scripts)
    {
        var ordered = scripts.OrderBy(s => s.Version).ToArray();
        for (var i = 0; i < ordered.Length; i++)
        {
            if (ordered[i].Version != i + 1)
            {
                throw new InvalidOperationException(
                    $"Schema scripts must be numbered 1, 2, … without gaps or repeats; found {string.Join(", ", ordered.Select(s => s.Name))}.");
            }
        }
        return ordered;
    }

    [GeneratedRegex(@"^(\d{3,})_[a-z0-9_]+\.sql$")]
    private static partial Regex FileNamePattern();
}
