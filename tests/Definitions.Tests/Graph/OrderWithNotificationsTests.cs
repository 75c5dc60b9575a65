using Workflows.Definitions.Graph;

namespace Workflows.Definitions.Tests.Graph;

public sealed class OrderWithNotificationsTests
{
    private static readonly string[] s_members = ["send_email", "send_slack", "send_webhook"];

    [Fact]
    public async Task Run_ProcessesTheOrderAndLogsThreeNotifications()
    {
        var (handle, outcome) = await GraphRuns.RunToEndAsync(OrderWithNotifications.Create(), new { order_id = "ORD-123", delayMs = 5 });

        Assert.Equal(RunStatus.Completed, outcome.Status);
        Assert.Equal("1.0.0", handle.Version);
        var context = Assert.IsType<System.Text.Json.Nodes.JsonObject>(outcome.Result);
        Assert.Equal("ORD-123", context["order_id"]!.GetValue<string>());
        Assert.True(context["processed"]!.GetValue<bool>());
        Assert.Equal("completed", context["order_status"]!.GetValue<string>());
        Assert.Equal("""["email","slack","webhook"]""", context["notifications_sent"]!.ToJsonString());
        Assert.Equal(3, context["notification_count"]!.GetValue<int>());
        Assert.All(["email", "slack", "webhook"], channel =>
        {
            Assert.True(context[$"{channel}_sent"]!.GetValue<bool>());
            Assert.NotNull(context[$"{channel}_timestamp"]);
        });
    }

    [Fact]
    public async Task LogNotifications_RunsAsTheGroupsCallbackAfterEveryMember()
    {
        var (_, items) = await GraphRuns.CompleteAsync(OrderWithNotifications.Create(), new { order_id = "ORD-1", delayMs = 10 });

        var callback = items.Single<StepStarted>("log_notifications");
        Assert.Equal("notify", callback.Group);
        Assert.All(s_members, member =>
        {
            var completed = items.Single<StepCompleted>(member);
            Assert.Equal("notify", completed.Group);
            Assert.True(completed.Sequence < callback.Sequence);
            Assert.True(items.Single<StepStarted>(member).Sequence > items.Single<StepCompleted>("process_order").Sequence);
        });
        Assert.Equal(3, items.MaxConcurrentMembers("notify"));
    }
}
