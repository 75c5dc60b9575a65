using static Workflows.Engine.Tests.Graph.GraphTestKit;

namespace Workflows.Engine.Tests.Graph;

/// <summary>Graph rule "ParallelGroup": members run concurrently up to maxConcurrency, then the callback sees every output.</summary>
public sealed class ParallelGroupTests
{
    [Fact]
    public async Task ParallelGroup_TenMembersCapThree_NeverMoreThanThreeRunTogether()
    {
        // Arrange: every member waits until three members have arrived, so the first three provably run together
        // (a cap below 3 would time them out); a cap above 3 would show as more than three open in the stream.
        var three = new Rendezvous(3);
        var inside = 0;
        var maxInside = 0;
        var members = Enumerable.Range(0, 10).Select(i => Step($"m{i}", async (_, _) =>
        {
            var now = Interlocked.Increment(ref inside);
            InterlockedMax(ref maxInside, now);
            await three.ArriveAndWaitAsync();
            await Task.Yield();
            Interlocked.Decrement(ref inside);
            return i;
        })).ToArray();
        var group = new ParallelGroup("fan", members, maxConcurrency: 3);
        var definition = Definition("capped", [Noop("start"), group, Noop("end")],
            [new Edge("start", "fan"), new Edge("fan", "end")], "start", "end");

        // Act
        var (_, outcome, items) = await RunAsync(definition);

        // Assert
        outcome.AssertCompleted();
        var names = members.Select(m => m.Name).ToArray();
        Assert.Equal(3, items.MaxOverlap(names));
        Assert.True(maxInside <= 3, $"{maxInside} members were inside at once");
        Assert.All(names, n => Assert.Single(items.Of<StepCompleted>(n)));
        Assert.All(items.OfType<StepStarted>().Where(s => names.Contains(s.Step)), s => Assert.Equal("fan", s.Group));
        Assert.All(items.OfType<StepStarted>().Where(s => names.Contains(s.Step)), s => Assert.InRange(s.Worker, 0, 2));
        // The group's outgoing edge is followed once, after the last member.
        var endStarted = items.SingleSeq<StepStarted>("end");
        Assert.All(names, n => Assert.True(endStarted > items.SingleSeq<StepCompleted>(n)));
    }

    [Fact]
    public async Task ParallelGroup_NoCap_AllMembersRunTogether()
    {
        // Arrange
        var all = new Rendezvous(5);
        var members = Enumerable.Range(0, 5).Select(i => Step($"m{i}", async (_, _) =>
        {
            await all.ArriveAndWaitAsync();
            return null;
        })).ToArray();
        var definition = Definition("uncapped", [new ParallelGroup("fan", members), Noop("end")],
            [new Edge("fan", "end")], "fan", "end");

        // Act
        var (_, outcome, items) = await RunAsync(definition);

        // Assert
        outcome.AssertCompleted();
        Assert.Equal(5, items.MaxOverlap(members.Select(m => m.Name)));
    }

    [Fact]
    public async Task ParallelGroup_Callback_SeesEveryMemberOutputAndRunsAfterAll()
    {
        // Arrange
        var members = Enumerable.Range(1, 4).Select(i => Step($"part{i}", async (_, _) =>
        {
            await Task.Yield();
            return new Part($"p{i}", i * 10);
        })).ToArray();
        IReadOnlyDictionary<string, System.Text.Json.Nodes.JsonNode?>? seenOutputs = null;
        var callback = Step("combine", (ctx, _) =>
        {
            seenOutputs = ctx.Outputs;
            var parts = Enumerable.Range(1, 4).Select(i => ctx.GetOutput<Part>($"part{i}")!).ToArray();
            ctx.Set("total", parts.Sum(p => p.Value));
            ctx.Set("names", parts.Select(p => p.Name).ToArray());
            return Task.FromResult<object?>("combined");
        });
        var definition = Definition("chord",
            [Noop("start"), new ParallelGroup("parts", members, callback), Step("after", (ctx, _) =>
            {
                ctx.Set("after_saw", ctx.GetOutput<string>("combine"));
                return Task.FromResult<object?>(null);
            })],
            [new Edge("start", "parts"), new Edge("parts", "after")], "start", "after");

        // Act
        var (_, outcome, items) = await RunAsync(definition);

        // Assert
        outcome.AssertCompleted();
        var context = outcome.Context();
        Assert.Equal(100, context["total"]!.GetValue<int>());
        Assert.Equal(["p1", "p2", "p3", "p4"], context["names"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal("combined", context["after_saw"]!.GetValue<string>());
        Assert.NotNull(seenOutputs);
        Assert.All(members, m => Assert.True(seenOutputs!.ContainsKey(m.Name), $"Outputs lacks {m.Name}"));
        Assert.Equal(30, seenOutputs!["part3"]!["value"]!.GetValue<int>());
        var callbackStarted = items.SingleSeq<StepStarted>("combine");
        Assert.All(members, m => Assert.True(callbackStarted > items.SingleSeq<StepCompleted>(m.Name)));
        Assert.Equal("parts", Assert.Single(items.Of<StepStarted>("combine")).Group);
        Assert.True(items.SingleSeq<StepStarted>("after") > items.SingleSeq<StepCompleted>("combine"));
    }

    [Fact]
    public async Task ParallelGroup_MemberFails_RunFailsAndRunningMembersAreCanceled()
    {
        // Arrange
        var slowStarted = new Latch();
        var slowToken = new Latch();
        var slow = Step("slow", async (_, ct) =>
        {
            using var registration = slowToken.SetOn(ct);
            slowStarted.Set();
            await Task.Delay(Timeout.Infinite, ct);
            return null;
        });
        var bad = Step("bad", async (_, _) =>
        {
            await slowStarted.WaitAsync();
            throw new InvalidOperationException("member broke");
        });
        var definition = Definition("member-fails", [new ParallelGroup("fan", [slow, bad]), Noop("end")],
            [new Edge("fan", "end")], "fan", "end");

        // Act
        var (_, outcome, items) = await RunAsync(definition);
        await slowToken.WaitAsync();

        // Assert
        Assert.Equal(RunStatus.Failed, outcome.Status);
        Assert.Equal("bad", outcome.Error!.Step);
        Assert.Equal("member broke", outcome.Error.Message);
        Assert.Equal("fan", Assert.Single(items.Of<StepCanceled>("slow")).Group);
        Assert.Empty(items.Of<StepStarted>("end"));
        items.SingleTerminal<RunFailed>();
    }

    private sealed record Part(string Name, int Value);

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }
            current = seen;
        }
    }
}
