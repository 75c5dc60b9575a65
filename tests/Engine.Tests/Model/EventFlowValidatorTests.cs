namespace Workflows.Engine.Tests.Model;

/// <summary>
/// Registration checks of the event flow: every message names the step and the event type concerned, and
/// every problem is reported.
/// </summary>
public sealed class EventFlowValidatorTests
{
    private sealed record Ping : Event;

    private sealed record Pong : Event;

    private sealed record Orphan : Event;

    private sealed record Missing : Event;

    private sealed record LoopA : Event;

    private sealed record LoopB : Event;

    private sealed record StartA : StartEvent;

    private sealed record StartB : StartEvent;

    private static IReadOnlyList<string> ErrorsOf(Workflow workflow)
    {
        var error = Assert.Throws<WorkflowValidationException>(() => new WorkflowRegistry().Register(workflow));
        Assert.Equal(workflow.Name, error.Workflow);
        Assert.All(error.Errors, e => Assert.Contains(e, error.Message));
        return error.Errors;
    }

    private static void AssertNamed(IReadOnlyList<string> errors, string start, params string[] names) =>
        Assert.Contains(errors, e => e.StartsWith(start, StringComparison.Ordinal) && names.All(n => e.Contains(n, StringComparison.Ordinal)));

    private sealed class NoStartWorkflow : Workflow
    {
        [Step]
        public StopEvent Finish(Ping ev) => new();
    }

    [Fact]
    public void Validate_NoStartStep_Reported()
    {
        // Act
        var errors = ErrorsOf(new NoStartWorkflow());

        // Assert
        AssertNamed(errors, "No start step", nameof(StartEvent));
    }

    private sealed class TwoStartsWorkflow : Workflow
    {
        [Step]
        public StopEvent FromA(StartA ev) => new();

        [Step]
        public StopEvent FromB(StartB ev) => new();
    }

    [Fact]
    public void Validate_MoreThanOneStartType_ReportedNamingEachStepAndType()
    {
        // Act
        var errors = ErrorsOf(new TwoStartsWorkflow());

        // Assert
        AssertNamed(errors, "More than one start event type", "'from_a'", nameof(StartA), "'from_b'", nameof(StartB));
    }

    private sealed class NoStopWorkflow : Workflow
    {
        [Step]
        public Ping Begin(StartEvent ev) => new();

        [Step]
        public Ping Echo(Ping ev) => ev;
    }

    [Fact]
    public void Validate_NoStopEventProducer_Reported()
    {
        // Act
        var errors = ErrorsOf(new NoStopWorkflow());

        // Assert
        Assert.Equal(["No step produces a StopEvent, so a run could never finish: declare a StopEvent return type or [Emits(typeof(StopEvent))]."], errors);
    }

    private sealed class OrphanWorkflow : Workflow
    {
        [Step, Emits(typeof(Orphan))]
        public StopEvent Begin(StartEvent ev) => new();
    }

    [Fact]
    public void Validate_EventProducedButNeverConsumed_ReportedNamingStepAndType()
    {
        // Act
        var errors = ErrorsOf(new OrphanWorkflow());

        // Assert
        var error = Assert.Single(errors);
        Assert.Equal("Event Orphan is produced by step 'begin' but no step accepts it.", error);
    }

    private sealed class NeverProducedWorkflow : Workflow
    {
        [Step]
        public StopEvent Begin(StartEvent ev) => new();

        [Step]
        public StopEvent Waiting(Missing ev) => new();
    }

    [Fact]
    public void Validate_EventConsumedButNeverProduced_ReportedNamingStepAndType()
    {
        // Act
        var errors = ErrorsOf(new NeverProducedWorkflow());

        // Assert
        AssertNamed(errors, "Step 'waiting' accepts Missing, but no step produces it.");
    }

    private sealed class IslandWorkflow : Workflow
    {
        [Step]
        public StopEvent Begin(StartEvent ev) => new();

        [Step]
        public LoopB IslandOne(LoopA ev) => new();

        [Step, Emits(typeof(LoopA))]
        public StopEvent IslandTwo(LoopB ev) => new();
    }

    [Fact]
    public void Validate_StepUnreachableFromStart_ReportedNamingStepAndType()
    {
        // Act
        var errors = ErrorsOf(new IslandWorkflow());

        // Assert
        Assert.Equal(2, errors.Count);
        AssertNamed(errors, "Step 'island_one' is unreachable from the start event", nameof(LoopA));
        AssertNamed(errors, "Step 'island_two' is unreachable from the start event", nameof(LoopB));
    }

    private sealed class DeadEndWorkflow : Workflow
    {
        [Step, Emits(typeof(Ping))]
        public StopEvent Begin(StartEvent ev) => new();

        [Step]
        public void Sink(Ping ev)
        {
        }

        [Step, Emits(typeof(Pong))]
        public Ping Spin(Ping ev) => ev;

        [Step]
        public void PongSink(Pong ev)
        {
        }
    }

    [Fact]
    public void Validate_StepWithNoPathToStop_ReportedNamingStepAndWhatItProduces()
    {
        // Act
        var errors = ErrorsOf(new DeadEndWorkflow());

        // Assert
        Assert.Equal(3, errors.Count);
        AssertNamed(errors, "Step 'sink' has no path to a StopEvent", "no event");
        AssertNamed(errors, "Step 'spin' has no path to a StopEvent", nameof(Ping), nameof(Pong));
        AssertNamed(errors, "Step 'pong_sink' has no path to a StopEvent");
    }

    private sealed class DuplicateNameWorkflow : Workflow
    {
        [Step(Name = "same")]
        public Ping Begin(StartEvent ev) => new();

        [Step(Name = "same")]
        public StopEvent Finish(Ping ev) => new();
    }

    [Fact]
    public void Validate_DuplicateStepName_Reported()
    {
        // Act
        var errors = ErrorsOf(new DuplicateNameWorkflow());

        // Assert
        AssertNamed(errors, "Step name 'same' is used by 2 steps");
    }

    private sealed class ManyProblemsWorkflow : Workflow
    {
        [Step, Emits(typeof(Orphan))]
        public Ping Begin(StartEvent ev) => new();

        [Step]
        public Ping Echo(Ping ev) => ev;

        [Step]
        public Ping Waiting(Missing ev) => new();
    }

    [Fact]
    public void Validate_SeveralProblems_AllReported()
    {
        // Act
        var errors = ErrorsOf(new ManyProblemsWorkflow());

        // Assert
        AssertNamed(errors, "No step produces a StopEvent");
        AssertNamed(errors, "Event Orphan is produced by step 'begin'");
        AssertNamed(errors, "Step 'waiting' accepts Missing, but no step produces it.");
        AssertNamed(errors, "Step 'waiting' is unreachable from the start event", nameof(Missing));
    }

    private sealed class ExternalWorkflow : Workflow
    {
        protected override IEnumerable<Type> ExternalEvents => [typeof(Missing)];

        [Step]
        public StopEvent Begin(StartEvent ev) => new();

        [Step]
        public StopEvent Waiting(Missing ev) => new();
    }

    [Fact]
    public void Validate_ConsumedEventPostedFromOutside_Accepted()
    {
        // Arrange
        var registry = new WorkflowRegistry();

        // Act
        registry.Register(new ExternalWorkflow());

        // Assert
        Assert.Equal(["begin", "waiting"], registry.Find("external_workflow")!.Steps.Order().ToArray());
    }
}
