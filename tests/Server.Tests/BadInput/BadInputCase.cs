using System.Text;

namespace Workflows.Server.Tests.BadInput;

/// <summary>
/// One bad request of the sweep. <see cref="Path"/> and <see cref="Body"/> may name the sweep server's runs and tasks
/// as <c>{ended}</c>, <c>{review}</c>, <c>{payment}</c>, <c>{approvals}</c>, <c>{task}</c>, <c>{groupTask}</c>,
/// <c>{doneTask}</c> (see <see cref="SweepServer"/>).
/// </summary>
/// <param name="Name">What is wrong, as the test runner shows it.</param>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">Path and query.</param>
public sealed record BadInputCase(string Name, string Method, string Path)
{
    /// <summary>The body as text (UTF-8), or null for none.</summary>
    public string? Body { get; init; }

    /// <summary>The body as raw bytes (for invalid UTF-8), instead of <see cref="Body"/>.</summary>
    public byte[]? RawBody { get; init; }

    /// <summary>The body's Content-Type; null sends none.</summary>
    public string? ContentType { get; init; } = "application/json";

    /// <summary>Send the body chunked, with no Content-Length.</summary>
    public bool Chunked { get; init; }

    /// <summary>Extra request headers.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>The exact status where docs/api.md specifies one; null means any 4xx.</summary>
    public int? Status { get; init; }

    /// <summary>The <c>errors</c> key the problem must name (a JSON pointer or a parameter name), where there is a field to name.</summary>
    public string? Field { get; init; }

    /// <summary>
    /// A request that is odd rather than wrong (an unusual Accept, a filter matching nothing): any answer below 500
    /// will do (a 4xx must still be a problem document), as long as nothing stored changes.
    /// </summary>
    public bool Tolerated { get; init; }

    /// <summary>
    /// Kestrel refuses the request itself (a NUL in the path, a request line or headers over its limits) before the
    /// application sees it: a bare 4xx with no body, which no middleware can turn into a problem document. Nothing can
    /// be stored.
    /// </summary>
    public bool RefusedByKestrel { get; init; }

    /// <summary>The body bytes with the placeholders filled in, or null.</summary>
    public byte[]? BodyBytes(Func<string, string> fill) =>
        RawBody ?? (Body is null ? null : Encoding.UTF8.GetBytes(fill(Body)));

    public override string ToString() => Name;
}
