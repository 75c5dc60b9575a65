namespace Workflows.Definitions.EventDriven;

/// <summary>Input of <c>multi_event_flow</c>.</summary>
public sealed record MultiEventStartEvent : StartEvent
{
    /// <summary>How long each branch takes (all 0 by default).</summary>
    public BranchDelays? DelaysMs { get; init; }
}

/// <summary>Per-branch delays of <c>multi_event_flow</c>, in milliseconds.</summary>
public sealed record BranchDelays
{
    /// <summary>Delay of <c>step_a</c>.</summary>
    public int A { get; init; }

    /// <summary>Delay of <c>step_b</c>.</summary>
    public int B { get; init; }

    /// <summary>Delay of <c>step_c</c>.</summary>
    public int C { get; init; }
}

/// <summary>Work for <c>step_a</c>.</summary>
/// <param name="Query">The query.</param>
/// <param name="DelayMs">How long the step takes.</param>
public sealed record StepAEvent(string Query, int DelayMs) : Event;

/// <summary>Work for <c>step_b</c>.</summary>
/// <param name="Query">The query.</param>
/// <param name="DelayMs">How long the step takes.</param>
public sealed record StepBEvent(string Query, int DelayMs) : Event;

/// <summary>Work for <c>step_c</c>.</summary>
/// <param name="Query">The query.</param>
/// <param name="DelayMs">How long the step takes.</param>
public sealed record StepCEvent(string Query, int DelayMs) : Event;

/// <summary>What the three completion events have in common, so the collector can read any of them.</summary>
/// <param name="Result">The branch's result.</param>
public abstract record StepCompleteEvent(string Result) : Event;

/// <summary><c>step_a</c> is done.</summary>
/// <param name="Result">Its result.</param>
public sealed record StepACompleteEvent(string Result) : StepCompleteEvent(Result);

/// <summary><c>step_b</c> is done.</summary>
/// <param name="Result">Its result.</param>
public sealed record StepBCompleteEvent(string Result) : StepCompleteEvent(Result);

/// <summary><c>step_c</c> is done.</summary>
/// <param name="Result">Its result.</param>
public sealed record StepCCompleteEvent(string Result) : StepCompleteEvent(Result);
