using System.Text.Json.Nodes;
using Workflows.Engine.Tests.Support;

namespace Workflows.Engine.Tests.Steps;

/// <summary>ctx.Store: Get/Set with dotted paths; EditState holds the lock for the block and is all-or-nothing.</summary>
public sealed class StateStoreTests
{
    [Fact]
    public void SetAndGet_DottedPath_CreatesNestedObjectsAndReadsBack()
    {
        // Arrange
        var store = new StateStore();

        // Act
        store.Set("order.customer.name", "Ada");
        store.Set("order.amount", 42);
        store.Set("tags", new[] { "a", "b" });

        // Assert
        Assert.Equal("Ada", store.Get<string>("order.customer.name"));
        Assert.Equal(42, store.Get<int>("order.amount"));
        Assert.Equal("b", store.Get<string>("tags.1"));
        Assert.Equal("Ada", store.Get<JsonObject>("order")!["customer"]!["name"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"order":{"customer":{"name":"Ada"},"amount":42},"tags":["a","b"]}"""), store.Snapshot()));
    }

    [Fact]
    public void Get_MissingPath_ReturnsDefault()
    {
        // Arrange
        var store = new StateStore();
        store.Set("a.b", 1);

        // Act / Assert
        Assert.Null(store.Get<string>("a.c"));
        Assert.Equal(7, store.Get("x.y.z", 7));
        Assert.Equal(0, store.Get<int>("a.b.c"));
    }

    [Fact]
    public void Set_PathThroughNonObject_ThrowsInsteadOfOverwriting()
    {
        // Arrange
        var store = new StateStore();
        store.Set("a", 5);

        // Act
        var error = Assert.Throws<InvalidOperationException>(() => store.Set("a.b", 1));

        // Assert
        Assert.Contains("'a'", error.Message);
        Assert.Equal(5, store.Get<int>("a"));
    }

    [Fact]
    public async Task EditStateAsync_BlockReturns_ChangesCommitted()
    {
        // Arrange
        var store = new StateStore();
        store.Set("count", 1);

        // Act
        await store.EditStateAsync(async e =>
        {
            await Task.Yield();
            e.Set("count", e.Get<int>("count") + 1);
            e.Set("nested.flag", true);
        });

        // Assert
        Assert.Equal(2, store.Get<int>("count"));
        Assert.True(store.Get<bool>("nested.flag"));
    }

    [Fact]
    public async Task EditStateAsync_BlockThrows_StateUnchanged()
    {
        // Arrange
        var store = new StateStore();
        store.Set("count", 1);
        store.Set("nested.a", "kept");
        var before = store.Snapshot();

        // Act
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => store.EditStateAsync(async e =>
        {
            e.Set("count", 2);
            e.Set("nested.b", "added");
            e.Remove("nested.a");
            await Task.Yield();
            throw new InvalidOperationException("abort");
        }));

        // Assert
        Assert.Equal("abort", error.Message);
        Assert.True(JsonNode.DeepEquals(before, store.Snapshot()));
        Assert.Equal(1, store.Get<int>("count"));
        store.Set("count", 3); // the lock was released
        Assert.Equal(3, store.Get<int>("count"));
    }

    [Fact]
    public void EditState_BlockThrows_StateUnchanged()
    {
        // Arrange
        var store = new StateStore();
        store.Set("count", 1);

        // Act
        Assert.Throws<FormatException>(() => store.EditState(e =>
        {
            e.Set("count", 99);
            throw new FormatException();
        }));

        // Assert
        Assert.Equal(1, store.Get<int>("count"));
    }

    [Fact]
    public async Task EditStateAsync_StoreGetInsideBlock_ThrowsClearInvalidOperationException()
    {
        // Arrange
        var store = new StateStore();
        store.Set("count", 1);

        // Act (on the pool, so a regression that deadlocks fails by timeout instead of hanging the test run)
        var error = await Task.Run(() => Assert.ThrowsAsync<InvalidOperationException>(
            () => store.EditStateAsync(_ =>
            {
                store.Get<int>("count");
                return Task.CompletedTask;
            }))).WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.Contains("inside EditState use the editor", error.Message);
        Assert.Equal(1, store.Get<int>("count")); // usable again afterwards
    }

    [Fact]
    public async Task EditStateAsync_StoreSetOrNestedEditInsideBlock_Throws()
    {
        // Arrange
        var store = new StateStore();

        // Act
        var setError = await Task.Run(() => Assert.ThrowsAsync<InvalidOperationException>(
            () => store.EditStateAsync(async _ =>
            {
                await Task.Yield();
                store.Set("x", 1);
            }))).WaitAsync(TimeSpan.FromSeconds(10));
        var nestedError = await Task.Run(() => Assert.ThrowsAsync<InvalidOperationException>(
            () => store.EditStateAsync(outer => store.EditStateAsync(inner => Task.CompletedTask)))).WaitAsync(TimeSpan.FromSeconds(10));
        var syncError = await Task.Run(() => Assert.Throws<InvalidOperationException>(
            () => store.EditState(_ => store.Get<int>("x")))).WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.Contains("editor", setError.Message);
        Assert.Contains("editor", nestedError.Message);
        Assert.Contains("editor", syncError.Message);
        Assert.Null(store.Get<int?>("x"));
    }

    private sealed record Bump : Event;

    private sealed record Bumped : Event;

    /// <summary>100 increments by a 4-worker step, each a read-await-write inside EditStateAsync.</summary>
    private sealed class CounterWorkflow(ArrivalGate firstFour) : Workflow
    {
        public const int Increments = 100;
        private int _inside;
        private int _maxInside;

        public int MaxInsideEditBlock => Volatile.Read(ref _maxInside);

        [Step, Emits(typeof(Bump))]
        public void Begin(StartEvent ev, IStepContext ctx)
        {
            for (var i = 0; i < Increments; i++)
            {
                ctx.SendEvent(new Bump());
            }
        }

        [Step(NumWorkers = 4)]
        public async Task<Bumped> Increment(Bump ev, IStepContext ctx)
        {
            if (firstFour.Arrived < 4)
            {
                await firstFour.ArriveAndWaitAsync(); // the first four enter the store together
            }
            await ctx.Store.EditStateAsync(async e =>
            {
                var inside = Interlocked.Increment(ref _inside);
                InterlockedMax(ref _maxInside, inside);
                var value = e.Get<int>("counter");
                await Task.Yield();
                e.Set("counter", value + 1);
                Interlocked.Decrement(ref _inside);
            });
            return new Bumped();
        }

        [Step]
        public StopEvent? Total(Bumped ev, IStepContext ctx) =>
            ctx.CollectEvents<Bumped>(ev, Increments) is null ? null : new StopEvent(ctx.Store.Get<int>("counter"));

        private static void InterlockedMax(ref int target, int value)
        {
            int seen;
            while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
            {
            }
        }
    }

    [Fact]
    public async Task EditStateAsync_FourConcurrentWriters_NoLostUpdate()
    {
        // Arrange
        var workflow = new CounterWorkflow(new ArrivalGate(4));

        // Act
        var run = await workflow.StartAsync();
        var outcome = await run.Outcome.WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.Equal(RunStatus.Completed, outcome.Status);
        Assert.Equal(CounterWorkflow.Increments, outcome.Result);
        Assert.Equal(CounterWorkflow.Increments, run.Store.Get<int>("counter"));
        Assert.Equal(1, workflow.MaxInsideEditBlock);
        Assert.Equal(4, run.Items.Snapshot().MaxConcurrent("increment"));
    }

    [Fact]
    public void TryCopyForCommit_Unchanged_ReusesItsCopy_ChangedByAnyWrite_CopiesAgain()
    {
        // Arrange
        var store = new StateStore();
        store.Set("a", 1);
        var first = store.TryCopyForCommit();

        // Act, Assert: a commit of an unchanged state takes the same copy; a Set, or an edit block, makes a new one.
        Assert.Same(first, store.TryCopyForCommit());
        store.Set("a", 2);
        var second = store.TryCopyForCommit();
        Assert.NotSame(first, second);
        Assert.Equal(2, second!["a"]!.GetValue<int>());
        Assert.Equal(1, first!["a"]!.GetValue<int>());
        store.EditState(editor => editor.Set("b", true));
        var third = store.TryCopyForCommit();
        Assert.NotSame(second, third);
        Assert.True(third!["b"]!.GetValue<bool>());
    }
}
