namespace Workflows.Engine.Tests.Model;

/// <summary>Signature and attribute checks of [Step] methods, reported with the step's name.</summary>
public sealed class StepMethodCompilerTests
{
    private sealed record Ping : Event;

    private sealed record NotDerived : Event;

    private static IReadOnlyList<string> ErrorsOf(Workflow workflow) =>
        Assert.Throws<WorkflowValidationException>(() => new WorkflowRegistry().Register(workflow)).Errors;

    private static void AssertNamed(IReadOnlyList<string> errors, string start, params string[] names) =>
        Assert.Contains(errors, e => e.StartsWith(start, StringComparison.Ordinal) && names.All(n => e.Contains(n, StringComparison.Ordinal)));

    private sealed class TwoEventParametersWorkflow : Workflow
    {
        [Step]
        public StopEvent Begin(StartEvent ev) => new();

        [Step]
        public StopEvent TwoEvents(StartEvent first, Ping second) => new();
    }

    private sealed class ExtraParameterWorkflow : Workflow
    {
        [Step]
        public StopEvent Begin(StartEvent ev, int count) => new();
    }

    private sealed class NoEventParameterWorkflow : Workflow
    {
        [Step]
        public StopEvent Begin(IStepContext ctx) => new();
    }

    [Fact]
    public void Compile_TwoEventParameters_ReportedNamingStepAndParameterTypes()
    {
        // Act
        var errors = ErrorsOf(new TwoEventParametersWorkflow());

        // Assert
        AssertNamed(errors, "Step 'two_events' (TwoEvents) must take exactly one event parameter", nameof(StartEvent), nameof(Ping));
    }

    [Fact]
    public void Compile_ExtraNonEventParameter_Reported()
    {
        // Act
        var errors = ErrorsOf(new ExtraParameterWorkflow());

        // Assert
        AssertNamed(errors, "Step 'begin' (Begin) must take exactly one event parameter", nameof(StartEvent), nameof(Int32));
    }

    [Fact]
    public void Compile_NoEventParameter_Reported()
    {
        // Act
        var errors = ErrorsOf(new NoEventParameterWorkflow());

        // Assert
        AssertNamed(errors, "Step 'begin' (Begin) must take exactly one event parameter", nameof(IStepContext));
    }

    private sealed class StaticStepWorkflow : Workflow
    {
        [Step]
        public StopEvent Begin(StartEvent ev) => new();

        [Step]
        public static StopEvent Lonely(Ping ev) => new();
    }

    [Fact]
    public void Compile_StaticMethod_Reported()
    {
        // Act
        var errors = ErrorsOf(new StaticStepWorkflow());

        // Assert
        AssertNamed(errors, "Step 'lonely' (Lonely) must be an instance method.");
    }

    private sealed class StringReturnWorkflow : Workflow
    {
        [Step]
        public StopEvent Begin(StartEvent ev) => new();

        [Step]
        public string Talk(StartEvent ev) => "hi";
    }

    private sealed class TaskOfIntReturnWorkflow : Workflow
    {
        [Step]
        public Task<int> Begin(StartEvent ev) => Task.FromResult(1);
    }

    [Fact]
    public void Compile_NonEventReturnType_ReportedNamingStepAndType()
    {
        // Act
        var errors = ErrorsOf(new StringReturnWorkflow());

        // Assert
        AssertNamed(errors, "Step 'talk' returns String, which is not an event type");
        AssertNamed(ErrorsOf(new TaskOfIntReturnWorkflow()), "Step 'begin' returns ", "which is not an event type");
    }

    private sealed class VagueReturnWorkflow : Workflow
    {
        [Step]
        public Event Vague(StartEvent ev) => new StopEvent();
    }

    private sealed class ObjectReturnWorkflow : Workflow
    {
        [Step]
        public Task<object> Vague(StartEvent ev) => Task.FromResult<object>(new StopEvent());
    }

    [Fact]
    public void Compile_EventReturnWithoutEmits_ReportedNamingStep()
    {
        // Act
        var errors = ErrorsOf(new VagueReturnWorkflow());

        // Assert
        AssertNamed(errors, "Step 'vague' returns Event but declares no [Emits(...)]");
        AssertNamed(ErrorsOf(new ObjectReturnWorkflow()), "Step 'vague' returns Object but declares no [Emits(...)]");
    }

    private sealed class ZeroWorkersWorkflow : Workflow
    {
        [Step(NumWorkers = 0)]
        public StopEvent Begin(StartEvent ev) => new();
    }

    [Fact]
    public void Compile_NumWorkersBelowOne_ReportedNamingStep()
    {
        // Act
        var errors = ErrorsOf(new ZeroWorkersWorkflow());

        // Assert
        Assert.Equal(["Step 'begin' has NumWorkers = 0; it must be at least 1."], errors);
    }

    private sealed class BadAcceptsWorkflow : Workflow
    {
        [Step, Accepts(typeof(StartEvent), typeof(NotDerived))]
        public StopEvent Begin(StartEvent ev) => new();
    }

    [Fact]
    public void Compile_AcceptsTypeNotAssignableToParameter_ReportedNamingStepAndType()
    {
        // Act
        var errors = ErrorsOf(new BadAcceptsWorkflow());

        // Assert
        AssertNamed(errors, "Step 'begin' accepts NotDerived, which is not an event assignable to its parameter type StartEvent.");
    }

    private sealed class BadEmitsWorkflow : Workflow
    {
        [Step, Emits(typeof(string))]
        public StopEvent Begin(StartEvent ev) => new();
    }

    [Fact]
    public void Compile_EmitsNonEventType_ReportedNamingStepAndType()
    {
        // Act
        var errors = ErrorsOf(new BadEmitsWorkflow());

        // Assert
        AssertNamed(errors, "Step 'begin' declares [Emits(String)], which is not an event type.");
    }

    private sealed class ShapesWorkflow : Workflow
    {
        [Step(Name = "custom"), Emits(typeof(Ping))]
        public async ValueTask BeginAsync(StartEvent ev, CancellationToken cancellationToken, IStepContext ctx)
        {
            await Task.Yield();
            ctx.SendEvent(new Ping());
        }

        [Step]
        public ValueTask<StopEvent> FinishStepAsync(Ping ev) => ValueTask.FromResult(new StopEvent("ok"));
    }

    [Fact]
    public async Task Compile_ValidShapes_NamedAndRunnable()
    {
        // Arrange
        var workflow = new ShapesWorkflow();

        // Act
        var model = workflow.GetModel();
        var result = await workflow.RunAsync().WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.NotNull(model.FindStep("custom"));
        Assert.Equal([typeof(Ping)], model.FindStep("finish_step")!.Accepts);
        Assert.Equal([typeof(StopEvent)], model.FindStep("finish_step")!.Emits);
        Assert.Equal("ok", result);
    }
}
