using static Workflows.Engine.Tests.Graph.GraphTestKit;

namespace Workflows.Engine.Tests.Graph;

/// <summary>Graph rule "context": dotted paths, atomic writes under concurrent branches, a history of who wrote what.</summary>
public sealed class WorkflowContextTests
{
    [Fact]
    public async Task Context_DottedPaths_SetCreatesObjectsAndGetReadsThem()
    {
        // Arrange
        var approve = new MachineStep("legal", ctx =>
        {
            ctx.Set("legal_approval.approved", true);
            ctx.Set("legal_approval.reviewer.name", "ann");
        });
        var reader = new MachineStep("read", ctx =>
        {
            ctx.Set("read.approved", ctx.Get<bool>("legal_approval.approved"));
            ctx.Set("read.reviewer", ctx.Get<string>("legal_approval.reviewer.name"));
            ctx.Set("read.city", ctx.Get<string>("customer.address.city"));
            ctx.Set("read.second_order", ctx.Get<int>("customer.orders.1"));
            ctx.Set("read.missing", ctx.Get("legal_approval.nope", "fallback"));
            ctx.Set("read.has_approved", ctx.Has("legal_approval.approved"));
            ctx.Set("read.has_missing", ctx.Has("legal_approval.reviewer.email"));
            ctx.Set("read.step_name", ctx.StepName);
        });
        var definition = Definition("dotted", [approve, reader], [new Edge("legal", "read")], "legal", "read");

        // Act
        var (run, outcome, _) = await RunAsync(definition, new { customer = new { address = new { city = "Lyon" }, orders = new[] { 3, 4 } } });

        // Assert
        outcome.AssertCompleted();
        var context = outcome.Context();
        Assert.True(context["legal_approval"]!["approved"]!.GetValue<bool>());
        Assert.Equal("ann", context["legal_approval"]!["reviewer"]!["name"]!.GetValue<string>());
        var read = context["read"]!;
        Assert.True(read["approved"]!.GetValue<bool>());
        Assert.Equal("ann", read["reviewer"]!.GetValue<string>());
        Assert.Equal("Lyon", read["city"]!.GetValue<string>());
        Assert.Equal(4, read["second_order"]!.GetValue<int>());
        Assert.Equal("fallback", read["missing"]!.GetValue<string>());
        Assert.True(read["has_approved"]!.GetValue<bool>());
        Assert.False(read["has_missing"]!.GetValue<bool>());
        Assert.Equal("read", read["step_name"]!.GetValue<string>());
        Assert.Equal("ann", run.Store.Get<string>("legal_approval.reviewer.name"));
    }

    [Fact]
    public async Task Context_History_RecordsWhichStepWroteWhat()
    {
        // Arrange
        var definition = Definition("history",
            [
                new MachineStep("first", ctx => ctx.Set("a", 1)),
                new MachineStep("second", ctx => ctx.Set("b.c", 2)),
                Step("third", async (ctx, ct) =>
                {
                    await ctx.EditAsync(editor =>
                    {
                        editor.Set("d", editor.Get<int>("a") + editor.Get<int>("b.c"));
                        editor.Set("e.f", "x");
                        return Task.CompletedTask;
                    }, ct);
                    return null;
                }),
                new MachineStep("fourth", ctx => ctx.Set("history", ctx.History.Select(w => $"{w.Step}:{w.Path}").ToArray())),
            ],
            [new Edge("first", "second"), new Edge("second", "third"), new Edge("third", "fourth")], "first", "fourth");

        // Act
        var (run, outcome, _) = await RunAsync(definition);

        // Assert
        outcome.AssertCompleted();
        Assert.Equal(3, outcome.Context()["d"]!.GetValue<int>());
        Assert.Equal(["first:a", "second:b.c", "third:d", "third:e.f"], outcome.Context()["history"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(
            [new StateWrite("first", "a"), new StateWrite("second", "b.c"), new StateWrite("third", "d"), new StateWrite("third", "e.f"), new StateWrite("fourth", "history")],
            run.Store.History);
    }

    [Fact]
    public async Task Context_EditAsyncFromConcurrentMembers_NoLostUpdate()
    {
        // Arrange: ten members are all running (they meet first), then each does read-yield-write in an edit block.
        const int count = 10;
        var allRunning = new Rendezvous(count);
        var inside = 0;
        var overlapped = false;
        var members = Enumerable.Range(0, count).Select(i => Step($"m{i}", async (ctx, ct) =>
        {
            await allRunning.ArriveAndWaitAsync();
            await ctx.EditAsync(async editor =>
            {
                if (Interlocked.Increment(ref inside) > 1)
                {
                    overlapped = true;
                }
                var value = editor.Get<int>("counter");
                await Task.Delay(1, ct);
                editor.Set("counter", value + 1);
                editor.Set($"by.m{i}", value);
                Interlocked.Decrement(ref inside);
            }, ct);
            return null;
        })).ToArray();
        var definition = Definition("edit", [new ParallelGroup("fan", members)], [], "fan", "fan");

        // Act
        var (run, outcome, items) = await RunAsync(definition, new { counter = 0 });

        // Assert
        outcome.AssertCompleted();
        Assert.Equal(count, items.MaxOverlap(members.Select(m => m.Name)));
        Assert.False(overlapped, "two edit blocks ran at once");
        Assert.Equal(count, outcome.Context()["counter"]!.GetValue<int>());
        // Each block saw a different value: 0..9, each exactly once.
        var seen = Enumerable.Range(0, count).Select(i => outcome.Context()["by"]![$"m{i}"]!.GetValue<int>()).Order();
        Assert.Equal(Enumerable.Range(0, count), seen);
        Assert.Equal(count, run.Store.History.Count(w => w.Path == "counter"));
        Assert.Equal(members.Select(m => m.Name).Order(), run.Store.History.Where(w => w.Path == "counter").Select(w => w.Step!).Order());
    }

    [Fact]
    public async Task Context_EditAsyncThrows_LeavesContextAsItWasAndFailsTheStep()
    {
        // Arrange
        var definition = Definition("edit-throws",
            [
                Step("edit", async (ctx, ct) =>
                {
                    await ctx.EditAsync(editor =>
                    {
                        editor.Set("counter", 99);
                        throw new InvalidOperationException("half way");
                    }, ct);
                    return null;
                }),
                Noop("end"),
            ],
            [new Edge("edit", "end")], "edit", "end");

        // Act
        var (run, outcome, _) = await RunAsync(definition, new { counter = 1 });

        // Assert
        Assert.Equal(RunStatus.Failed, outcome.Status);
        Assert.Equal(("edit", "half way"), (outcome.Error!.Step, outcome.Error.Message));
        Assert.Equal(1, run.Store.Get<int>("counter"));
        Assert.Empty(run.Store.History);
    }
}
