namespace Workflows.Definitions.EventDriven;

/// <summary>Input of <c>multi_model</c>.</summary>
public sealed record MultiModelStartEvent : StartEvent
{
    /// <summary>The question every model is asked (required).</summary>
    public string? Query { get; init; }

    /// <summary>The models to ask (default two local fakes); repeated names are asked once.</summary>
    public IReadOnlyList<string>? Models { get; init; }

    /// <summary>The simulated latency of each model (default 500 ms).</summary>
    public int? DelayMs { get; init; }
}

/// <summary>The query for one model.</summary>
/// <param name="Model">The model to ask.</param>
/// <param name="Query">The question.</param>
/// <param name="DelayMs">The simulated latency.</param>
public sealed record ModelQueryEvent(string Model, string Query, int DelayMs) : Event;

/// <summary>One model's answer.</summary>
/// <param name="Model">The model.</param>
/// <param name="Answer">What it said.</param>
public sealed record ModelAnswerEvent(string Model, string Answer) : Event;
