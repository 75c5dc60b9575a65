using Microsoft.AspNetCore.Http.HttpResults;

namespace Workflows.Server.Endpoints;

/// <summary>
/// The query parameters the run and task lists share, read one way: <c>status</c> by wire name (any case),
/// <c>limit</c> 1–500 (default 50), <c>cursor</c> as issued with the previous page. Each reader answers the value,
/// or the problem naming the parameter.
/// </summary>
internal static class ListParameters
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    /// <summary>The status named by <paramref name="text"/> (null when blank), or a problem listing the names.</summary>
    public static bool TryReadStatus<TStatus>(string? text, Func<TStatus, string> wireName, out TStatus? status, out ProblemHttpResult? problem)
        where TStatus : struct, Enum
    {
        (status, problem) = (null, null);
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }
        foreach (var candidate in Enum.GetValues<TStatus>())
        {
            if (string.Equals(wireName(candidate), text.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                status = candidate;
                return true;
            }
        }
        problem = Problems.InvalidParameter("status", $"is '{text}'; use one of {string.Join(", ", Enum.GetValues<TStatus>().Select(wireName))}.");
        return false;
    }

    /// <summary>The page size asked for (the default when absent), or a problem.</summary>
    public static bool TryReadLimit(int? requested, out int limit, out ProblemHttpResult? problem)
    {
        (limit, problem) = (requested ?? DefaultLimit, null);
        if (requested is < 1 or > MaxLimit)
        {
            problem = Problems.InvalidParameter("limit", $"must be between 1 and {MaxLimit}.");
            return false;
        }
        return true;
    }

    /// <summary>Where the previous page ended (null for the first page), or a problem.</summary>
    public static bool TryReadCursor(string? text, out (DateTimeOffset CreatedAt, string Id)? after, out ProblemHttpResult? problem)
    {
        (after, problem) = (null, null);
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }
        if (!PageCursor.TryDecode(text, out var createdAt, out var id))
        {
            problem = Problems.InvalidParameter("cursor", PageCursor.Invalid);
            return false;
        }
        after = (createdAt, id);
        return true;
    }
}
