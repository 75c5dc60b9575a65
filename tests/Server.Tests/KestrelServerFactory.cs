namespace Workflows.Server.Tests;

/// <summary>
/// The real server on Kestrel, listening on 127.0.0.1 at a free port (WebApplicationFactory's in-memory server
/// does not stream a response as it is written, so the event-stream tests need real sockets). Keep-alive comments
/// come after <see cref="KeepAliveSeconds"/> of silence.
/// </summary>
public sealed class KestrelServerFactory : ServerFactory
{
    public const double KeepAliveSeconds = 0.3;

    public KestrelServerFactory()
        : this(null)
    {
    }

    private KestrelServerFactory(IReadOnlyDictionary<string, string?>? settings)
    {
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            Settings[key] = value;
        }
        Settings["Workflows:Server:KeepAliveSeconds"] = KeepAliveSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        UseKestrel(0);
        StartServer();
    }

    /// <summary>The server with <paramref name="settings"/> added to <see cref="ServerFactory.Settings"/> before it starts.</summary>
    public static KestrelServerFactory With(IReadOnlyDictionary<string, string?> settings) => new(settings);

    /// <summary>A client over a real connection, with no timeout of its own (tests bound every call with a token).</summary>
    public HttpClient CreateStreamingClient()
    {
        var client = CreateClient();
        client.Timeout = System.Threading.Timeout.InfiniteTimeSpan;
        return client;
    }
}
