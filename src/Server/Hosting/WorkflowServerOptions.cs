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

    /// <summary>The deepest nesting of a JSON body (default 64); a deeper one is answered 400 naming where it got too deep.</summary>
    [Range(4, 256)]
    public int MaxJsonDepth { get; set; } = 64;

    /// <summary>The longest string (value or property name) in a run's input, an event's data or a task's answer, in characters (default 65536).</summary>
    [Range(1, int.MaxValue)]
    public int MaxStringLength { get; set; } = 64 * 1024;

    /// <summary>The most items of one array in a run's input, an event's data or a task's answer (default 10000).</summary>
    [Range(1, int.MaxValue)]
    public int MaxArrayLength { get; set; } = 10_000;

    /// <summary>Run starts per second each caller (API key or user) may sustain (default 20); 0 turns the limit off.</summary>
    [Range(0, 1_000_000)]
    public double RunStartsPerSecond { get; set; } = 20;

    /// <summary>Run starts each caller may make at once before the rate applies (default 100).</summary>
    [Range(1, 1_000_000)]
    public int RunStartBurst { get; set; } = 100;

    /// <summary>How long <c>POST /api/instances/{id}/events</c> waits for the run to record the event before answering 503 (default 10).</summary>
    [Range(0.1, 600)]
    public double EventPostTimeoutSeconds { get; set; } = 10;

    /// <summary><see cref="KeepAliveSeconds"/> as a time span.</summary>
    internal TimeSpan KeepAliveInterval => TimeSpan.FromSeconds(KeepAliveSeconds);
}
