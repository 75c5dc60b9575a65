namespace Workflows.Model;

/// <summary>Builds the public <see cref="WorkflowDescription"/> of a compiled model.</summary>
internal static class WorkflowDescriber
{
    public static WorkflowDescription Describe(WorkflowModel model, IReadOnlyList<string> versions)
    {
        var plan = model.Graph;
        return new WorkflowDescription
        {
            Name = model.Name,
            Version = model.Version,
            Description = model.Description,
            Kind = model.Kind,
            Steps = model.Steps.Select(s => Step(s, plan)).ToArray(),
            Edges = plan?.Edges.Select(e => new EdgeDescription(e.Edge.Source, e.Edge.Target, e.Edge.Condition?.Text)).ToArray() ?? [],
            InitialStep = plan is null ? model.StartEventType.Name : plan.Nodes[plan.Initial].Name,
            TerminalSteps = plan?.Terminals.Select(t => plan.Nodes[t].Name).ToArray() ?? [],
            ExternalEvents = model.ExternalEventTypes.Select(t => t.Name).ToArray(),
            Versions = versions,
        };
    }

    private static StepDescription Step(StepModel step, GraphPlan? plan)
    {
        var role = plan?.ByStep[step.Index].Role;
        var retry = step.Options.Retry;
        return new StepDescription
        {
            Name = step.Name,
            Type = step.Human is not null ? "human" : role switch
            {
                GraphRole.Member => "member",
                GraphRole.Callback => "callback",
                _ => "step",
            },
            Group = step.Group,
            NumWorkers = step.Options.NumWorkers,
            Accepts = step.Accepts.Select(t => t.Name).ToArray(),
            Emits = step.Emits.Select(t => t.Name).ToArray(),
            FormSchema = step.Human?.FormSchema.DeepClone().AsObject(),
            TimeoutSeconds = step.Options.Timeout?.TotalSeconds,
            Retry = retry.MaximumAttempts <= 1 ? null : new RetryDescription(retry.MaximumAttempts, retry.InitialInterval.TotalMilliseconds,
                retry.Backoff == BackoffKind.Fixed ? "fixed" : "exponential", retry.BackoffCoefficient, retry.RetryOn.Select(t => t.Name).ToArray()),
        };
    }
}
