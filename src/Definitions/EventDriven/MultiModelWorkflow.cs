namespace Workflows.Definitions.EventDriven;

/// <summary>
/// <c>multi_model</c>: the same query goes to several models at once (<c>query_model</c>, 3 workers) and
/// <c>collect_results</c> returns every answer as <c>{model: answer}</c>. The models are reached through an
/// <see cref="IModelClient"/>: by default the local <see cref="FakeModelClient"/>.
/// </summary>
public sealed class MultiModelWorkflow : Workflow
{
    private const string ModelCountKey = "model_count";
    private readonly IModelClient _client;

    /// <summary>Creates the workflow over <paramref name="client"/>, or over a <see cref="FakeModelClient"/> when null.</summary>
    public MultiModelWorkflow(IModelClient? client = null) => _client = client ?? new FakeModelClient();

    /// <summary>The models asked when the input names none.</summary>
    public static IReadOnlyList<string> DefaultModels { get; } = ["fake-gpt", "fake-claude"];

    /// <inheritdoc/>
    public override string Name => "multi_model";

    /// <inheritdoc/>
    public override string? Description =>
        "Asks several models the same query concurrently (query_model, 3 workers) and collects every answer.";

    /// <summary>Sends the query once per model.</summary>
    [Step, Emits(typeof(ModelQueryEvent))]
    public StopEvent? Start(MultiModelStartEvent ev, IStepContext ctx)
    {
        if (string.IsNullOrWhiteSpace(ev.Query))
        {
            throw new ArgumentException("multi_model needs a query.");
        }
        var models = (ev.Models ?? DefaultModels).Distinct(StringComparer.Ordinal).ToArray();
        if (models.Length == 0)
        {
            return new StopEvent(new Dictionary<string, string>());
        }
        ctx.Store.Set(ModelCountKey, models.Length);
        var delay = SimulatedDelay.Clamp(ev.DelayMs ?? 500);
        foreach (var model in models)
        {
            ctx.SendEvent(new ModelQueryEvent(model, ev.Query, delay));
        }
        return null;
    }

    /// <summary>Asks one model.</summary>
    [Step(NumWorkers = 3)]
    public async Task<ModelAnswerEvent> QueryModel(ModelQueryEvent ev, CancellationToken cancellationToken)
    {
        var request = new ModelRequest(ev.Model, ev.Query) { SimulatedLatencyMs = ev.DelayMs };
        var answer = await _client.CompleteAsync(request, cancellationToken).ConfigureAwait(false);
        return new ModelAnswerEvent(ev.Model, answer);
    }

    /// <summary>Waits for every model's answer.</summary>
    [Step]
    public StopEvent? CollectResults(ModelAnswerEvent ev, IStepContext ctx) =>
        ctx.CollectEvents<ModelAnswerEvent>(ev, ctx.Store.Get<int>(ModelCountKey)) is { } all
            ? new StopEvent(all.ToDictionary(a => a.Model, a => a.Answer, StringComparer.Ordinal))
            : null;
}
