namespace Workflows.Definitions.Graph;

/// <summary>
/// <c>order_with_notifications</c> (version 1.0.0): <c>process_order</c>, then <c>notify</c>, a
/// <see cref="ParallelGroup"/> of <c>send_email</c>, <c>send_slack</c> and <c>send_webhook</c> whose callback
/// <c>log_notifications</c> lists what was sent.
/// </summary>
/// <remarks>
/// Input: <c>order_id</c>; <c>delayMs</c> (100), the time each simulated send takes. Outcome in the context:
/// <c>processed</c> true, <c>order_status = "completed"</c>, <c>&lt;channel&gt;_sent</c> and
/// <c>&lt;channel&gt;_timestamp</c> per channel, <c>notifications_sent = ["email", "slack", "webhook"]</c>,
/// <c>notification_count = 3</c>.
/// </remarks>
public static class OrderWithNotifications
{
    /// <summary>The registered name.</summary>
    public const string Name = "order_with_notifications";

    /// <summary>The version the reference gives it.</summary>
    public const string Version = "1.0.0";

    private const int DefaultDelayMs = 100;
    private static readonly string[] s_channels = ["email", "slack", "webhook"];

    /// <summary>A new definition (its steps are new instances too).</summary>
    public static WorkflowDefinition Create() => new()
    {
        Name = Name,
        Version = Version,
        Description = "Process order and send parallel notifications.",
        Steps =
        [
            new ProcessOrder(),
            new ParallelGroup("notify", [.. s_channels.Select(channel => new SendNotification(channel))], new LogNotifications())
            {
                Description = "Email, Slack and webhook at once, then log what was sent.",
            },
        ],
        Edges = [new Edge("process_order", "notify")],
        InitialStep = "process_order",
        TerminalSteps = ["notify"],
    };

    /// <summary>Marks the order processed.</summary>
    private sealed class ProcessOrder() : BaseMachineStep("process_order")
    {
        public override Task<object?> ExecuteAsync(WorkflowContext context, CancellationToken cancellationToken)
        {
            context.Set("processed", true);
            context.Set("order_status", "completed");
            return Task.FromResult<object?>(context.Get<string>("order_id"));
        }
    }

    /// <summary>Sends on one channel (simulated: waits <c>delayMs</c>), then records <c>&lt;channel&gt;_sent</c> and when.</summary>
    private sealed class SendNotification(string channel) : BaseMachineStep($"send_{channel}")
    {
        public override async Task<object?> ExecuteAsync(WorkflowContext context, CancellationToken cancellationToken)
        {
            await GraphInput.DelayAsync(context, "delayMs", DefaultDelayMs, cancellationToken).ConfigureAwait(false);
            context.Set($"{channel}_sent", true);
            context.Set($"{channel}_timestamp", DateTimeOffset.UtcNow);
            return channel;
        }
    }

    /// <summary>The chord: once every sender has finished, lists the channels that sent, in a fixed order.</summary>
    private sealed class LogNotifications() : BaseMachineStep("log_notifications")
    {
        public override Task<object?> ExecuteAsync(WorkflowContext context, CancellationToken cancellationToken)
        {
            var sent = s_channels.Where(channel => context.Get<bool>($"{channel}_sent")).ToArray();
            context.Set("notifications_sent", sent);
            context.Set("notification_count", sent.Length);
            return Task.FromResult<object?>(sent.Length);
        }
    }
}
