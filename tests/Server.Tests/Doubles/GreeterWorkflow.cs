namespace Workflows.Server.Tests.Doubles;

/// <summary>A two-step workflow the tests register beside (or instead of) the built-in catalogue.</summary>
public sealed class GreeterWorkflow(string version = "1.0.0") : Workflow
{
    public const string WorkflowName = "test_greeter";

    public override string Name => WorkflowName;

    public override string Version => version;

    public override string? Description => "Greets whoever the input names.";

    [Step]
    public GreetingEvent Prepare(StartEvent ev) => new(ev.Get<string>("name") ?? "world");

    [Step]
    public StopEvent Greet(GreetingEvent ev) => new($"Hello, {ev.Name}!");
}

/// <summary>Carries the name from the first step to the second.</summary>
public sealed record GreetingEvent(string Name) : Event;
