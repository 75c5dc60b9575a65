namespace Workflows.Definitions.Graph;

/// <summary>
/// <c>parallel_notify</c>: <c>process</c> forks into <c>send_email</c>, <c>send_slack</c> and <c>send_sms</c> (three
/// edges), which join into <c>complete</c> (three edges): <c>complete</c> runs once, after all three senders.
/// </summary>
/// <remarks>
/// Input: <c>delaysMs</c> per channel (<c>{email, slack, sms}</c>, 100 ms each by default), the time each simulated
/// send takes. Outcome in the context: <c>processed</c>, <c>email_sent</c>, <c>slack_sent</c>, <c>sms_sent</c>,
/// <c>completed</c>, all true.
/// </remarks>
public static class ParallelNotify
{
    /// <summary>The registered name.</summary>
    public const string Name = "parallel_notify";

    private const int DefaultDelayMs = 100;
    private static readonly string[] s_channels = ["email", "slack", "sms"];

    /// <summary>A new definition (its steps are new instances too).</summary>
    public static WorkflowDefinition Create() => new()
    {
        Name = Name,
        Description = "Fork and join: process, then email, Slack and SMS concurrently, then complete once after all three.",
        Steps =
        [
            new MachineStep("process", context => context.Set("processed", true)) { Description = "Prepares the notification." },
            .. s_channels.Select(channel => new SendNotification(channel)),
            new CompleteStep(),
        ],
        Edges =
        [
            .. s_channels.Select(channel => new Edge("process", $"send_{channel}")),
            .. s_channels.Select(channel => new Edge($"send_{channel}", "complete")),
        ],
        InitialStep = "process",
        TerminalSteps = ["complete"],
    };

    /// <summary>Sends on one channel (simulated: waits <c>delaysMs.&lt;channel&gt;</c>), then records <c>&lt;channel&gt;_sent</c>.</summary>
    private sealed class SendNotification(string channel) : BaseMachineStep($"send_{channel}")
    {
        public override async Task<object?> ExecuteAsync(WorkflowContext context, CancellationToken cancellationToken)
        {
            await GraphInput.DelayAsync(context, $"delaysMs.{channel}", DefaultDelayMs, cancellationToken).ConfigureAwait(false);
            context.Set($"{channel}_sent", true);
            return channel;
        }
    }

    /// <summary>The join: runs once every sender has finished, and checks that each one did send.</summary>
    private sealed class CompleteStep() : BaseMachineStep("complete")
    {
        public override Task<object?> ExecuteAsync(WorkflowContext context, CancellationToken cancellationToken)
        {
            var missing = s_channels.Where(channel => !context.Get<bool>($"{channel}_sent")).ToArray();
            if (missing.Length > 0)
            {
                throw new InvalidOperationException($"'complete' ran before every notification was sent; missing: {string.Join(", ", missing)}.");
            }
            context.Set("completed", true);
            return Task.FromResult<object?>(null);
        }
    }
}
