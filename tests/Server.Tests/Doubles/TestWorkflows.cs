using System.Text.Json.Nodes;

namespace Workflows.Server.Tests.Doubles;

/// <summary>Waits (run.waiting) for an external <see cref="Payment"/>, then stops with its amount.</summary>
public sealed class AwaitsPaymentWorkflow : Workflow
{
    public const string WorkflowName = "test_awaits_payment";

    public override string Name => WorkflowName;

    protected override IEnumerable<Type> ExternalEvents => [typeof(Payment)];

    [Step]
    public void Begin(StartEvent ev)
    {
    }

    [Step]
    public StopEvent Paid(Payment payment) => new(payment.Amount);
}

/// <summary>The external event of <see cref="AwaitsPaymentWorkflow"/>.</summary>
public sealed record Payment(decimal Amount) : Event;

/// <summary>A step that never finishes, in a run bounded by a short timeout: the run ends timed_out.</summary>
public sealed class TimesOutWorkflow : Workflow
{
    public const string WorkflowName = "test_times_out";

    public TimesOutWorkflow() => Timeout = TimeSpan.FromMilliseconds(300);

    public override string Name => WorkflowName;

    [Step(TimeoutSeconds = 30), Retry(3, InitialIntervalMs = 50, Backoff = BackoffKind.Fixed)]
    public async Task<StopEvent> Hang(StartEvent ev, CancellationToken cancellationToken)
    {
        await Task.Delay(System.Threading.Timeout.Infinite, cancellationToken);
        return new StopEvent();
    }
}

/// <summary>Asks anyone for a review due 1 ms after the task opens, with no action at the deadline: the task shows overdue.</summary>
public sealed class OverdueReviewWorkflow : Workflow
{
    public const string WorkflowName = "test_overdue_review";

    public override string Name => WorkflowName;

    [Step]
    public InputRequiredEvent Ask(StartEvent ev) => new("Review at once", new JsonObject
    {
        ["type"] = "object",
        ["required"] = new JsonArray("approved"),
        ["properties"] = new JsonObject { ["approved"] = new JsonObject { ["type"] = "boolean" } },
    })
    {
        Due = TimeSpan.FromMilliseconds(1),
    };

    [Step]
    public StopEvent Done(HumanResponseEvent ev) => new(ev.Get<bool>("approved"));
}
