using System.ComponentModel;
using Microsoft.AspNetCore.Mvc;

namespace Workflows.Server.Endpoints.Contracts;

/// <summary>
/// Who completes a task, TEMPORARILY taken from request headers until the server authenticates callers: the user
/// in <c>X-User</c> (default <c>anonymous</c>) and their groups in <c>X-Groups</c> (comma-separated; default none).
/// Anyone can claim any identity this way.
/// </summary>
public sealed record TaskCallerHeaders
{
    /// <summary>The caller's user name.</summary>
    [FromHeader(Name = "X-User"), Description("Temporary identity (until authentication): the caller's user name; default anonymous.")]
    public string? User { get; init; }

    /// <summary>The caller's groups, comma-separated.</summary>
    [FromHeader(Name = "X-Groups"), Description("Temporary identity (until authentication): the caller's groups, comma-separated; default none.")]
    public string? Groups { get; init; }

    /// <summary>The user when no <c>X-User</c> is sent.</summary>
    public const string Anonymous = "anonymous";

    internal TaskCaller ToCaller() => new(
        string.IsNullOrWhiteSpace(User) ? Anonymous : User.Trim(),
        (Groups ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
