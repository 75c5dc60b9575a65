using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Workflows.Server.Tests.Support;

/// <summary>Calls the tests make over and over.</summary>
public static class Api
{
    /// <summary>POSTs a start request with <paramref name="body"/> (raw JSON) and returns the response.</summary>
    public static Task<HttpResponseMessage> PostStartAsync(this HttpClient client, string workflow, string body = "{}", string query = "") =>
        client.PostAsync($"/api/workflows/{workflow}/instances{query}", Json(body), Patience.Token());

    /// <summary>Starts a run (201 expected) and returns its id.</summary>
    public static async Task<string> StartAsync(this HttpClient client, string workflow, string body = "{}")
    {
        using var response = await client.PostStartAsync(workflow, body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    public static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();

    /// <summary>Asserts a problem document with <paramref name="status"/> and returns it.</summary>
    public static async Task<JsonElement> AssertProblemAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        return problem;
    }

    /// <summary>The keys of a problem's <c>errors</c>.</summary>
    public static string[] ErrorKeys(this JsonElement problem) =>
        problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToArray();

    /// <summary>Waits until the run has published an item of <paramref name="type"/> (read from the engine, no polling).</summary>
    public static async Task WaitForItemAsync(this LocalExecutionEngine engine, string runId, string type)
    {
        var run = engine.FindRun(runId) ?? throw new InvalidOperationException($"Run {runId} is not in memory.");
        await foreach (var item in run.ReadItemsAsync(0, Patience.Token()))
        {
            if (item.Type == type)
            {
                return;
            }
        }
        throw new InvalidOperationException($"Run {runId} ended without a {type} item.");
    }

    /// <summary>Waits for the run's end (bounded) and returns its outcome.</summary>
    public static Task<RunOutcome> WaitForEndAsync(this LocalExecutionEngine engine, string runId) =>
        (engine.FindRun(runId) ?? throw new InvalidOperationException($"Run {runId} is not in memory.")).Outcome.WaitAsync(Patience.Timeout);
}
