namespace Workflows.Server.Hosting;

/// <summary>
/// <c>Workflows.Server --healthcheck [url]</c>: GETs the health route (default <see cref="DefaultUrl"/>) and
/// exits 0 on a success status, 1 otherwise. Container health checks use it instead of curl.
/// </summary>
internal static class HealthCheckCommand
{
    public const string Flag = "--healthcheck";
    public const string DefaultUrl = "http://localhost:8080/health";

    public static bool IsRequested(string[] args) => args.Length > 0 && args[0] == Flag;

    public static async Task<int> RunAsync(string[] args)
    {
        var url = args.Length > 1 ? args[1] : DefaultUrl;
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await client.GetAsync(url);
            Console.WriteLine($"{url}: {(int)response.StatusCode}");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or InvalidOperationException or UriFormatException)
        {
            Console.Error.WriteLine($"{url}: {ex.Message}");
            return 1;
        }
    }
}
