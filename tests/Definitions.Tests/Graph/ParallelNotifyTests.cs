using Workflows.Definitions.Graph;

namespace Workflows.Definitions.Tests.Graph;

public sealed class ParallelNotifyTests
{
    private static readonly string[] s_senders = ["send_email", "send_slack", "send_sms"];

    [Fact]
    public async Task Run_SendsOnEveryChannel()
    {
        var (context, _) = await GraphRuns.CompleteAsync(ParallelNotify.Create(), new { delaysMs = new { email = 5, slack = 5, sms = 5 } });

        Assert.True(context["processed"]!.GetValue<bool>());
        Assert.True(context["email_sent"]!.GetValue<bool>());
        Assert.True(context["slack_sent"]!.GetValue<bool>());
        Assert.True(context["sms_sent"]!.GetValue<bool>());
        Assert.True(context["completed"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData(30, 5, 15)]
    [InlineData(5, 15, 30)]
    [InlineData(15, 30, 5)]
    public async Task Complete_RunsOnceAfterAllThreeSenders(int emailMs, int slackMs, int smsMs)
    {
        var (_, items) = await GraphRuns.CompleteAsync(ParallelNotify.Create(), new { delaysMs = new { email = emailMs, slack = slackMs, sms = smsMs } });

        var completeStarted = Assert.Single(items.OfType<StepStarted>(), s => s.Step == "complete");
        Assert.Single(items.OfType<StepCompleted>(), s => s.Step == "complete");
        var lastSender = s_senders.Max(sender => items.Single<StepCompleted>(sender).Sequence);
        Assert.True(completeStarted.Sequence > lastSender, "'complete' started before every sender had completed.");
    }

    [Fact]
    public async Task Senders_AreForkedTogether()
    {
        var (_, items) = await GraphRuns.CompleteAsync(ParallelNotify.Create(), new { delaysMs = new { email = 20, slack = 20, sms = 20 } });

        // The fork starts all three when 'process' completes, before any of them can have finished.
        var starts = s_senders.Select(sender => items.Single<StepStarted>(sender).Sequence).ToArray();
        var firstCompletion = s_senders.Min(sender => items.Single<StepCompleted>(sender).Sequence);
        Assert.All(starts, start => Assert.True(start < firstCompletion));
        Assert.All(starts, start => Assert.True(start > items.Single<StepCompleted>("process").Sequence));
    }

    [Fact]
    public async Task Run_WithoutInput_UsesTheDefaultDelays()
    {
        var (context, _) = await GraphRuns.CompleteAsync(ParallelNotify.Create());

        Assert.True(context["completed"]!.GetValue<bool>());
    }
}
