namespace Workflows.Definitions.Graph;

/// <summary>
/// <c>data_fetch</c>, the chord: <c>fetch_all</c>, a <see cref="ParallelGroup"/> of <c>fetch_api1</c>,
/// <c>fetch_api2</c> and <c>fetch_api3</c>, whose callback <c>aggregate</c> combines the three members' outputs.
/// </summary>
/// <remarks>
/// Input: <c>delaysMs</c> per api (<c>{api1, api2, api3}</c>, 100 ms each by default). Outcome in the context:
/// <c>combined_data = {api1, api2, api3}</c>, each the data its fetch returned. The fetches only return their data;
/// the callback reads it with <see cref="WorkflowContext.GetOutput{T}"/>, which is how a chord sees its members.
/// </remarks>
public static class DataFetch
{
    /// <summary>The registered name.</summary>
    public const string Name = "data_fetch";

    private const int DefaultDelayMs = 100;
    private static readonly string[] s_apis = ["api1", "api2", "api3"];

    /// <summary>A new definition (its steps are new instances too).</summary>
    public static WorkflowDefinition Create() => new()
    {
        Name = Name,
        Description = "The chord: three fetches at once, then aggregate combines their outputs.",
        Steps =
        [
            new ParallelGroup("fetch_all", [.. s_apis.Select(api => new FetchApi(api))], new Aggregate())
            {
                Description = "Fetches api1, api2 and api3 concurrently, then aggregates.",
            },
        ],
        InitialStep = "fetch_all",
        TerminalSteps = ["fetch_all"],
    };

    /// <summary>The simulated payload of one api.</summary>
    private static string DataOf(string api) => $"data from {api}";

    /// <summary>Fetches from one api (simulated: waits <c>delaysMs.&lt;api&gt;</c>); its output is the data.</summary>
    private sealed class FetchApi(string api) : BaseMachineStep($"fetch_{api}")
    {
        public override async Task<object?> ExecuteAsync(WorkflowContext context, CancellationToken cancellationToken)
        {
            await GraphInput.DelayAsync(context, $"delaysMs.{api}", DefaultDelayMs, cancellationToken).ConfigureAwait(false);
            return DataOf(api);
        }
    }

    /// <summary>The callback: combines the three outputs under their api's name.</summary>
    private sealed class Aggregate() : BaseMachineStep("aggregate")
    {
        public override Task<object?> ExecuteAsync(WorkflowContext context, CancellationToken cancellationToken)
        {
            var combined = s_apis.ToDictionary(api => api, api => context.GetOutput<string>($"fetch_{api}")
                ?? throw new InvalidOperationException($"'aggregate' ran without the output of 'fetch_{api}'."));
            context.Set("combined_data", combined);
            return Task.FromResult<object?>(combined);
        }
    }
}
