using System.ComponentModel.DataAnnotations;

namespace Workflows.Server.Hosting;

/// <summary>Settings of the HTTP layer (configuration section <c>Workflows:Server</c>); checked when the host starts.</summary>
public sealed class WorkflowServerOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Workflows:Server";

    /// <summary>
    /// Seconds of silence after which an event stream sends a <c>: keep-alive</c> comment line (default 15), so that
    /// proxies and clients do not time the connection out while a run waits.
    /// </summary>
    [Range(0.01, 3600)]
    public double KeepAliveSeconds { get; set; } = 15;

    /// <summary>The largest request body accepted, in bytes (default 1 MiB); a larger one is answered 413.</summary>
    [Range(1024, long.MaxValue)]
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>The longest <c>?wait=</c> a start request may ask for, in seconds (default 300).</summary>
    [Range(0, 3600)]
    public double MaxWaitSeconds { get; set; } = 300;

    /// <summary>How long <c>GET /health</c> waits for the database before answering 503, in seconds (default 5).</summary>
    [Range(0.1, 60)]
    public double HealthTimeoutSeconds { get; set; } = 5;

    /// <summary><see cref="KeepAliveSeconds"/> as a time span.</summary>
    internal TimeSpan KeepAliveInterval => TimeSpan.FromSeconds(KeepAliveSeconds);
}
