namespace Workflows.Drawing;

/// <summary>Colours a <see cref="FlowGraph"/> with one run's step states, read from its item stream.</summary>
internal static class RunStateColouring
{
    public static FlowGraph Apply(FlowGraph graph, IEnumerable<RunItem> items)
    {
        var states = new Dictionary<string, string>(StringComparer.Ordinal);
        var ended = false;
        var failed = false;
        foreach (var item in items)
        {
            switch (item)
            {
                case StepStarted s:
                    states[s.Step] = FlowNodeStates.Running;
                    break;
                case StepCompleted s:
                    states[s.Step] = FlowNodeStates.Done;
                    break;
                case StepRetrying s:
                    states[s.Step] = FlowNodeStates.Running;
                    break;
                case StepFailed s:
                    states[s.Step] = FlowNodeStates.Failed;
                    break;
                case StepSkipped s:
                    states[s.Step] = FlowNodeStates.Skipped;
                    break;
                case StepCanceled s:
                    states[s.Step] = FlowNodeStates.Canceled;
                    break;
                case TaskCreated task:
                    states[task.Step] = FlowNodeStates.Waiting;
                    break;
                case TaskCompleted task:
                    states[task.Step] = FlowNodeStates.Done;
                    break;
                case TaskCanceled task:
                    states[task.Step] = FlowNodeStates.Canceled;
                    break;
                case RunEnded end:
                    ended = true;
                    failed = end.Status != RunStatus.Completed;
                    break;
            }
        }
        if (ended)
        {
            // Whatever was still in progress when the run ended (e.g. waiting to retry) did not finish.
            foreach (var step in states.Where(s => s.Value is FlowNodeStates.Running or FlowNodeStates.Waiting).Select(s => s.Key).ToArray())
            {
                states[step] = FlowNodeStates.Canceled;
            }
        }
        var nodes = graph.Nodes.Select(node => node with { State = StateOf(node, states, ended, failed) }).ToArray();
        return graph with { Nodes = nodes };
    }

    private static string? StateOf(FlowNode node, Dictionary<string, string> states, bool ended, bool failed)
    {
        switch (node.Kind)
        {
            case FlowNodeKinds.Start:
                return FlowNodeStates.Done;
            case FlowNodeKinds.Stop:
                return ended ? (failed ? FlowNodeStates.Failed : FlowNodeStates.Done) : null;
            case FlowNodeKinds.Parallel or FlowNodeKinds.Race:
                var members = node.Members!.Append(node.Callback).OfType<string>().Select(m => states.GetValueOrDefault(m)).Where(s => s is not null).ToArray();
                return members.Length == 0 ? null
                    : members.Contains(FlowNodeStates.Running) ? FlowNodeStates.Running
                    : members.Contains(FlowNodeStates.Waiting) ? FlowNodeStates.Waiting
                    : members.Contains(FlowNodeStates.Failed) && (node.Kind == FlowNodeKinds.Parallel || !members.Contains(FlowNodeStates.Done)) ? FlowNodeStates.Failed
                    : members.Contains(FlowNodeStates.Done) ? FlowNodeStates.Done
                    : members[0];
            default:
                return states.GetValueOrDefault(node.Id);
        }
    }
}
