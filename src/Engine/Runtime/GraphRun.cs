using System.Text.Json.Nodes;
using Workflows.Model;

namespace Workflows.Runtime;

/// <summary>
/// The per-run routing state of a graph workflow, owned by its <see cref="RunLoop"/> (so it needs no locks):
/// join counters with dead-path elimination, group progress, race outcomes, and whether a terminal step was
/// reached. Steps themselves run through the loop's ordinary scheduler.
/// </summary>
internal sealed class GraphRun
{
    private readonly RunLoop _loop;
    private readonly GraphPlan _plan;
    private readonly int[] _resolved;   // forward incoming edges resolved (taken or dead) since the node last fired
    private readonly int[] _taken;      // of those, taken
    private readonly int[] _remaining;  // group members not finished yet
    private readonly bool[] _won;       // race decided
    private readonly List<RunError>?[] _raceErrors;
    private readonly List<string> _stoppedShort = [];
    private bool _reachedTerminal;

    public GraphRun(RunLoop loop, GraphPlan plan)
    {
        _loop = loop;
        _plan = plan;
        var count = plan.Nodes.Count;
        _resolved = new int[count];
        _taken = new int[count];
        _remaining = new int[count];
        _won = new bool[count];
        _raceErrors = new List<RunError>?[count];
    }

    public void Begin() => Activate(_plan.Initial);

    /// <summary>The counters as persisted state.</summary>
    public Durability.GraphRunState Export() => new(
        (int[])_resolved.Clone(), (int[])_taken.Clone(), (int[])_remaining.Clone(), (bool[])_won.Clone(),
        _raceErrors.Select(e => e?.ToList()).ToArray(), [.. _stoppedShort], _reachedTerminal);

    /// <summary>Restores persisted counters (on resume, before anything runs).</summary>
    public void Import(Durability.GraphRunState state)
    {
        state.Resolved.CopyTo(_resolved, 0);
        state.Taken.CopyTo(_taken, 0);
        state.Remaining.CopyTo(_remaining, 0);
        state.Won.CopyTo(_won, 0);
        for (var i = 0; i < _raceErrors.Length; i++)
        {
            _raceErrors[i] = state.RaceErrors[i]?.ToList();
        }
        _stoppedShort.AddRange(state.StoppedShort);
        _reachedTerminal = state.ReachedTerminal;
    }

    /// <summary>A graph step returned: record it, then move the flow on.</summary>
    public void OnReturned(StepInvocation invocation, GraphStepResult result)
    {
        var step = invocation.Step;
        if (!result.WasSkipped)
        {
            _loop.Outputs!.Set(step.Name, result.Output);
        }
        if (result.WasSkipped)
        {
            _loop.Append(new StepSkipped(step.Name, invocation.Worker, invocation.Attempt) { Group = step.Group });
        }
        else
        {
            _loop.AppendStepCompleted(step, invocation.Worker, invocation.Attempt, step.Group);
        }
        _loop.Release(invocation);
        if (result.WasSkipped && _plan.ByStep[step.Index] is { Role: GraphRole.Member, Node.Kind: GraphNodeKind.Race } race)
        {
            // A race member whose guard declined cannot win; it counts like a failure of that member.
            if (OnRaceMemberFailed(race.Node, new RunError(step.Name, "skipped", $"Step '{step.Name}' was skipped by its guard.")) is { } allFailed)
            {
                _loop.End(new RunFailed(allFailed));
            }
            return;
        }
        if (_plan.ByStep[step.Index] is { Role: GraphRole.Member, Node.Kind: GraphNodeKind.Race } won)
        {
            WinRace(won.Node, invocation);
            return;
        }
        Finished(step);
    }

    /// <summary>A person completed a human step: the answer goes into the context under the step's name.</summary>
    public void OnHumanAnswered(StepModel step, JsonObject data)
    {
        _loop.Store.Set(step.Name, data, writer: step.Name);
        _loop.Outputs!.Set(step.Name, data.DeepClone());
        Finished(step);
    }

    /// <summary>
    /// A human step's task was withdrawn: a top-level step's branch ends there (its edges count as not taken); a
    /// group member counts as finished without an answer, so the group and its callback still complete.
    /// </summary>
    public void OnHumanWithdrawn(StepModel step)
    {
        var (node, role) = _plan.ByStep[step.Index];
        if (role != GraphRole.Node)
        {
            Finished(step);
            return;
        }
        _stoppedShort.Add(node.Name);
        foreach (var edge in _plan.Outgoing[node.Index].Where(e => !e.IsBackEdge))
        {
            Resolve(edge.Target, taken: false);
        }
    }

    /// <summary>A step (machine or human) is done: its node finishes, or its group counts it.</summary>
    private void Finished(StepModel step)
    {
        var (node, role) = _plan.ByStep[step.Index];
        switch (role)
        {
            case GraphRole.Node or GraphRole.Callback:
                NodeFinished(node);
                break;
            case GraphRole.Member:
                if (--_remaining[node.Index] == 0)
                {
                    if (node.Callback is { } callback)
                    {
                        _loop.Start(callback);
                    }
                    else
                    {
                        NodeFinished(node);
                    }
                }
                break;
        }
    }

    /// <summary>
    /// A graph step failed for good. Returns the error that fails the run, or null when the failure is absorbed
    /// (a race member failed while others may still win).
    /// </summary>
    public RunError? OnFailed(StepInvocation invocation, RunError error)
    {
        var (node, role) = _plan.ByStep[invocation.Step.Index];
        return role == GraphRole.Member && node.Kind == GraphNodeKind.Race ? OnRaceMemberFailed(node, error) : error;
    }

    /// <summary>How the run ends once nothing is active: completed if a terminal step was reached.</summary>
    public RunEnded Finish()
    {
        if (_reachedTerminal)
        {
            return new RunCompleted(_loop.Store.Snapshot());
        }
        var terminals = string.Join(", ", _plan.Terminals.Select(t => _plan.Nodes[t].Name));
        var stopped = _stoppedShort.Count == 0 ? "none" : string.Join(", ", _stoppedShort.Distinct());
        return new RunFailed(new RunError(null, "no_terminal_step",
            $"The run ended without reaching a terminal step ({terminals}); branches stopped at: {stopped}."));
    }

    private void Activate(int index)
    {
        var node = _plan.Nodes[index];
        if (node.Step is { } step)
        {
            _loop.Start(step);
            return;
        }
        _remaining[index] = node.Members.Count;
        _won[index] = false;
        _raceErrors[index] = null;
        foreach (var member in node.Members)
        {
            _loop.Start(member);
        }
    }

    private void WinRace(GraphNode race, StepInvocation winner)
    {
        if (_won[race.Index])
        {
            return;
        }
        _won[race.Index] = true;
        if (_loop.Outputs!.TryGet(winner.Step.Name, out var output))
        {
            _loop.Outputs.Set(race.Name, output?.DeepClone());
        }
        foreach (var loser in _loop.RunningWith(winner.Step))
        {
            _loop.CancelAlone(loser, $"'{winner.Step.Name}' won the race '{race.Name}'");
        }
        NodeFinished(race);
    }

    private RunError? OnRaceMemberFailed(GraphNode race, RunError error)
    {
        var errors = _raceErrors[race.Index] ??= [];
        errors.Add(error);
        if (errors.Count < race.Members.Count)
        {
            return null;
        }
        return new RunError(race.Name, "race_failed",
            $"Every member of race '{race.Name}' failed: {string.Join("; ", errors.Select(e => $"{e.Step}: {e.Message}"))}");
    }

    /// <summary>Follows the node's outgoing edges. Conditions are all read before any target starts, so a started
    /// target cannot change the context under a sibling edge's condition.</summary>
    private void NodeFinished(GraphNode node)
    {
        if (_plan.Terminals.Contains(node.Index))
        {
            _reachedTerminal = true;
        }
        var edges = _plan.Outgoing[node.Index];
        // Per node that finishes, so nothing here allocates: no LINQ, no closure; the context only for a condition.
        Span<bool> taken = edges.Length <= 64 ? stackalloc bool[edges.Length] : new bool[edges.Length];
        WorkflowContext? context = null;
        var anyTaken = false;
        for (var i = 0; i < edges.Length; i++)
        {
            try
            {
                taken[i] = edges[i].Edge.Condition is not { } condition || condition.Evaluate(context ??= _loop.CreateContext(null));
            }
            catch (Exception error)
            {
                _loop.End(new RunFailed(new RunError(node.Name, "condition_error",
                    $"Edge {edges[i].Edge}: the condition could not be evaluated: {error.Message}") { Exception = error }));
                return;
            }
            anyTaken |= taken[i];
        }
        if (!anyTaken && !_plan.Terminals.Contains(node.Index))
        {
            _stoppedShort.Add(node.Name);
        }
        // Going round a loop again: the branch is still alive, so the edges not taken this round are not dead yet
        // (a join after the loop waits for its exit instead of firing early).
        var loopsAgain = false;
        for (var i = 0; i < edges.Length; i++)
        {
            loopsAgain |= edges[i].IsBackEdge && taken[i];
        }
        for (var i = 0; i < edges.Length && !_loop.Ended; i++)
        {
            if (edges[i].IsBackEdge)
            {
                if (taken[i])
                {
                    Activate(edges[i].Target);
                }
            }
            else if (taken[i] || !loopsAgain)
            {
                Resolve(edges[i].Target, taken[i]);
            }
        }
    }

    /// <summary>
    /// One forward incoming edge of <paramref name="target"/> is decided. When all are, the node runs if any was
    /// taken (the join), or is dead and passes that on along its own edges (dead-path elimination).
    /// </summary>
    private void Resolve(int target, bool taken)
    {
        _resolved[target]++;
        if (taken)
        {
            _taken[target]++;
        }
        if (_resolved[target] < _plan.ForwardInDegree[target])
        {
            return;
        }
        var run = _taken[target] > 0;
        _resolved[target] = _taken[target] = 0;
        if (run)
        {
            Activate(target);
            return;
        }
        foreach (var edge in _plan.Outgoing[target])
        {
            if (!edge.IsBackEdge)
            {
                Resolve(edge.Target, taken: false);
            }
        }
    }
}
