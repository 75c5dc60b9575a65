using System.Net.Http.Headers;
using System.Text.Json;

namespace Workflows.Server.Tests.BadInput;

/// <summary>
/// The bad-input sweep: every case of <see cref="BadInputCases"/> against the real server (Kestrel, SQLite file,
/// security enforced). Each answer is a 4xx problem document (<c>application/problem+json</c>, the exact status where
/// docs/api.md names one, the field in <c>errors</c> where there is one), never a 5xx, and nothing stored changes.
/// </summary>
[Collection(SweepCollection.Name)]
public sealed class BadInputSweepTests(SweepServer server)
{
    [Theory]
    [MemberData(nameof(BadInputCases.Names), MemberType = typeof(BadInputCases))]
    public async Task BadRequest_AnswersAProblemAndChangesNothing(string name)
    {
        var badCase = BadInputCases.Find(name);
        using var client = server.CreateClient();
        var before = await server.SnapshotAsync(client);

        using var request = CreateRequest(badCase);
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, patience.Token);
        var status = (int)response.StatusCode;
        var text = await response.Content.ReadAsStringAsync(patience.Token);

        Assert.True(status < 500, $"{name}: {status} {text}");
        if (badCase.Status is { } expected && !(badCase.Tolerated && status < 400))
        {
            Assert.True(expected == status, $"{name}: expected {expected}, got {status}: {text}");
        }
        if (badCase.RefusedByKestrel)
        {
            Assert.True(text.Length == 0, $"{name}: Kestrel's own 400 has a body now; drop RefusedByKestrel: {text}");
        }
        else if (!badCase.Tolerated || status >= 400)
        {
            Assert.True(status is >= 400 and < 500, $"{name}: expected a 4xx, got {status}: {text}");
            Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json",
                $"{name}: {status} with Content-Type {response.Content.Headers.ContentType}: {text}");
            var problem = JsonDocument.Parse(text).RootElement;
            Assert.Equal(status, problem.GetProperty("status").GetInt32());
            Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()), text);
            Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()), text);
            if (badCase.Field is { } field)
            {
                Assert.True(problem.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out _),
                    $"{name}: the problem does not name '{field}' in errors: {text}");
            }
        }

        var after = await server.SnapshotAsync(client);
        Assert.True(before == after, $"{name}: stored state changed.\n{Difference(before, after)}");
    }

    /// <summary>Every route of docs/api.md's table is swept (a new route needs its cases here).</summary>
    [Fact]
    public void Table_CoversEveryRoute()
    {
        string[] routes =
        [
            "GET /api/workflows/", "GET /graph", "POST /instances", "GET /api/instances?", "GET /api/instances/counts", "GET /api/instances/events?", "GET /api/instances/", "GET /events",
            "POST /cancel", "POST /events", "GET /api/tasks?", "GET /api/tasks/", "POST /complete",
        ];
        foreach (var route in routes)
        {
            var (method, fragment) = (route[..route.IndexOf(' ', StringComparison.Ordinal)], route[(route.IndexOf(' ', StringComparison.Ordinal) + 1)..]);
            Assert.Contains(BadInputCases.All, c => c.Method == method && c.Path.Contains(fragment, StringComparison.Ordinal));
        }
    }

    private HttpRequestMessage CreateRequest(BadInputCase badCase)
    {
        var request = new HttpRequestMessage(new HttpMethod(badCase.Method), Fill(badCase.Path));
        if (badCase.BodyBytes(Fill) is { } body)
        {
            HttpContent content = badCase.Chunked ? new StreamContent(new MemoryStream(body)) : new ByteArrayContent(body);
            content.Headers.ContentType = badCase.ContentType is null ? null : MediaTypeHeaderValue.Parse(badCase.ContentType);
            request.Content = content;
            request.Headers.TransferEncodingChunked = badCase.Chunked;
            // A body the server refuses unread (413 on its declared length) would otherwise still be on its way when the
            // server closes the connection (a broken pipe instead of the answer): wait for "100 Continue" first.
            request.Headers.ExpectContinue = body.Length > 64 * 1024;
        }
        else if (badCase.Method == "POST" && badCase.ContentType is not null)
        {
            // An empty body that still says it is JSON, as curl -X POST -H 'Content-Type: application/json' sends.
            request.Content = new ByteArrayContent([]);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(badCase.ContentType);
        }
        foreach (var (header, value) in badCase.Headers)
        {
            request.Headers.TryAddWithoutValidation(header, value);
        }
        return request;
    }

    private string Fill(string text)
    {
        foreach (var (key, id) in server.Ids)
        {
            text = text.Replace($"{{{key}}}", id, StringComparison.Ordinal);
        }
        return text;
    }

    private static string Difference(string before, string after)
    {
        var old = before.Split('\n');
        var now = after.Split('\n');
        return string.Join('\n', now.Except(old).Take(5).Select(l => $"+ {Cut(l)}").Concat(old.Except(now).Take(5).Select(l => $"- {Cut(l)}")));
    }

    private static string Cut(string line) => line.Length > 600 ? line[..600] + "…" : line;
}

/// <summary>One sweep server for every case (seeding it takes a few seconds).</summary>
[CollectionDefinition(Name)]
public sealed class SweepCollection : ICollectionFixture<SweepServer>
{
    public const string Name = "bad-input sweep";
}
