using System.Net;
using System.Text;
using Workflows.Server.Tests.Doubles;
using Workflows.Server.Tests.Support;

namespace Workflows.Server.Tests.Streaming;

/// <summary>The body size limit on a real connection, where a chunked body declares no length up front.</summary>
public sealed class KestrelRequestLimitTests(KestrelServerFactory server) : IClassFixture<KestrelServerFactory>
{
    [Fact]
    public async Task Post_ChunkedBodyAboveTheLimit_Returns413Problem()
    {
        var json = """{"input": {"text": "TEXT"}}""".Replace("TEXT", new string('a', 2 * 1024 * 1024), StringComparison.Ordinal);
        using var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(json)));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/workflows/{GreeterWorkflow.WorkflowName}/instances") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await server.CreateStreamingClient().SendAsync(request, Patience.Token());

        var problem = await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("MaxRequestBodyBytes", problem.GetProperty("detail").GetString());
    }
}
