using System.Collections.Concurrent;
using Workflows.Definitions.EventDriven;

namespace Workflows.Definitions.Tests;

public sealed class MultiModelTests
{
    [Fact]
    public async Task Run_WithTheFakeClients_AnswersOncePerModel()
    {
        var result = await Runs.ResultAsync(new MultiModelWorkflow(), new { query = "What is a workflow?", delayMs = 10 });

        var json = Runs.ToJson(result)!.AsObject();
        Assert.Equal(MultiModelWorkflow.DefaultModels.Order(), json.Select(p => p.Key).Order());
        Assert.All(json, p => Assert.Equal($"{p.Key} answers: What is a workflow?", p.Value!.GetValue<string>()));
    }

    [Fact]
    public async Task Run_WithAReplacedClient_AsksItForEveryModelAtOnce()
    {
        var client = new BarrierClient(participants: 3);

        var result = await Runs.ResultAsync(new MultiModelWorkflow(client), new { query = "2+2?", models = new[] { "m1", "m2", "m3" }, delayMs = 7 });

        // The client answers only once all three calls are in flight together: completing proves the concurrency.
        var answers = Assert.IsAssignableFrom<IReadOnlyDictionary<string, string>>(result);
        Assert.Equal(new Dictionary<string, string> { ["m1"] = "m1 says 4", ["m2"] = "m2 says 4", ["m3"] = "m3 says 4" }, answers);
        Assert.All(client.Requests, r => Assert.Equal(("2+2?", 7), (r.Prompt, r.SimulatedLatencyMs)));
    }

    [Fact]
    public async Task Run_WithoutAQuery_FailsSayingWhy()
    {
        var (_, outcome) = await Runs.RunToEndAsync(new MultiModelWorkflow(), new { delayMs = 0 });

        Assert.Equal(RunStatus.Failed, outcome.Status);
        Assert.Contains("needs a query", outcome.Error!.Message);
    }

    /// <summary>A client whose calls all wait until <c>participants</c> of them are running at the same time.</summary>
    private sealed class BarrierClient(int participants) : IModelClient
    {
        private readonly TaskCompletionSource _allIn = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _arrived;

        public ConcurrentBag<ModelRequest> Requests { get; } = [];

        public async Task<string> CompleteAsync(ModelRequest request, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            if (Interlocked.Increment(ref _arrived) == participants)
            {
                _allIn.SetResult();
            }
            await _allIn.Task.WaitAsync(cancellationToken);
            return $"{request.Model} says 4";
        }
    }
}
