using Workflows.Definitions.Graph;

namespace Workflows.Definitions.Tests.Graph;

public sealed class ResilientFetchTests
{
    [Fact]
    public async Task Run_WithApi2Failing_ListsSuccessesAndFailures()
    {
        var (context, items) = await GraphRuns.CompleteAsync(ResilientFetch.Create(), new { failing = new[] { "api2" }, delayMs = 5 });

        Assert.Equal("""["api1","api3"]""", context["successful_fetches"]!.ToJsonString());
        Assert.Equal("""["api2"]""", context["failed_fetches"]!.ToJsonString());
        Assert.False(context["fetch_api2_success"]!.GetValue<bool>());
        Assert.Equal("api2 is unavailable.", context["fetch_api2_error"]!.GetValue<string>());
        Assert.Equal("data from api1", context["fetch_api1_data"]!.GetValue<string>());
        // The failure was handled inside the step: nothing failed as far as the runtime is concerned.
        Assert.Empty(items.OfType<StepFailed>());
        items.Single<StepCompleted>("handle_results");
    }

    [Fact]
    public async Task Run_WithNothingFailing_ListsEveryApiAsSuccessful()
    {
        var (context, _) = await GraphRuns.CompleteAsync(ResilientFetch.Create(), new { delayMs = 5 });

        Assert.Equal("""["api1","api2","api3"]""", context["successful_fetches"]!.ToJsonString());
        Assert.Equal("[]", context["failed_fetches"]!.ToJsonString());
    }

    [Fact]
    public async Task Run_WithEveryApiFailing_FailsWithAllDataFetchesFailed()
    {
        var (handle, outcome) = await GraphRuns.RunToEndAsync(ResilientFetch.Create(), new { failing = new[] { "api1", "api2", "api3" }, delayMs = 5 });

        Assert.Equal(RunStatus.Failed, outcome.Status);
        Assert.Equal("All data fetches failed", outcome.Error!.Message);
        Assert.Equal("handle_results", outcome.Error.Step);
        var error = await Assert.ThrowsAsync<WorkflowRunException>(handle.GetResultAsync);
        Assert.Contains("All data fetches failed", error.Message);
        // Every fetch still completed (its error was data); only the callback failed.
        var items = handle.Items.Snapshot();
        Assert.Equal(3, items.OfType<StepCompleted>().Count(c => c.Group == "fetch_all" && c.Step != "handle_results"));
        Assert.Equal("handle_results", Assert.Single(items.OfType<StepFailed>()).Step);
        Assert.Equal("""["api1","api2","api3"]""", handle.Store.Snapshot()["failed_fetches"]!.ToJsonString());
    }
}
