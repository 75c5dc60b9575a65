namespace Workflows.Model;

/// <summary>
/// Validates a <see cref="WorkflowDefinition"/> and compiles it onto the runtime's model: every machine step,
/// group member and callback becomes a <see cref="StepModel"/> run by the same scheduler as event-driven steps;
/// the edges become a <see cref="GraphPlan"/>. Every problem is reported, each naming its step or edge.
/// </summary>
internal static class GraphCompiler
{
    public static WorkflowModel Compile(WorkflowDefinition definition, IFormValidator validator)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var errors = new List<string>();
        var nodesByName = CheckNames(definition, errors);
        CheckEdges(definition, nodesByName, errors);
        CheckForms(definition, validator, errors);
        if (errors.Count == 0)
        {
            CheckReachability(definition, errors);
        }
        if (errors.Count > 0)
        {
            throw new WorkflowValidationException(definition.Name, errors);
        }

        var steps = new List<StepModel>();
        var poolSizes = new List<int>();
        var nodes = new List<GraphNode>();
        var roles = new List<(int Node, GraphRole Role)>();
        foreach (var (step, index) in definition.Steps.Select((s, i) => (s, i)))
        {
            switch (step)
            {
                case BaseMachineStep or HumanStep:
                    var model = AddStep(step, group: null, pool: NewPool(1), alone: false, GraphRole.Node);
                    nodes.Add(new GraphNode(index, step.Name, GraphNodeKind.Machine, model, [], null));
                    break;
                case ParallelGroup parallel:
                    var shared = NewPool(parallel.MaxConcurrency ?? parallel.Steps.Count);
                    var members = parallel.Steps.Select(m => AddStep(m, parallel.Name, shared, alone: false, GraphRole.Member)).ToArray();
                    var callback = parallel.Callback is { } cb ? AddStep(cb, parallel.Name, NewPool(1), alone: false, GraphRole.Callback) : null;
                    nodes.Add(new GraphNode(index, parallel.Name, GraphNodeKind.Parallel, null, members, callback));
                    break;
                case RaceGroup race:
                    var racePool = NewPool(race.Steps.Count);
                    var runners = race.Steps.Select(m => AddStep(m, race.Name, racePool, alone: true, GraphRole.Member)).ToArray();
                    nodes.Add(new GraphNode(index, race.Name, GraphNodeKind.Race, null, runners, null));
                    break;
            }

            StepModel AddStep(GraphStep unit, string? group, int pool, bool alone, GraphRole role)
            {
                var machine = unit as BaseMachineStep;
                var options = machine?.ToOptions(poolSizes[pool]) ?? new StepOptions { NumWorkers = poolSizes[pool] };
                var model = new StepModel(unit.Name, [], [], options, machine is null ? HumanStepInvoker : MachineStepInvoker.Create(machine))
                {
                    PoolIndex = pool,
                    Group = group,
                    CancellableAlone = alone,
                    OnFailedForGood = machine is null ? null : MachineStepInvoker.OnFailed(machine),
                    Human = unit as HumanStep,
                };
                steps.Add(model);
                roles.Add((index, role));
                return model;
            }
        }

        var edges = definition.Edges.Select(e => (Edge: e, Source: nodesByName[e.Source], Target: nodesByName[e.Target])).ToArray();
        var backEdges = FindBackEdges(definition.Steps.Count, nodesByName[definition.InitialStep], edges.Select(e => (e.Source, e.Target)).ToArray());
        var plan = new GraphPlan(
            nodes,
            edges.Select((e, i) => new GraphEdge(e.Edge, e.Source, e.Target, backEdges.Contains(i))).ToArray(),
            nodesByName[definition.InitialStep],
            definition.TerminalSteps.Select(t => nodesByName[t]).ToHashSet(),
            roles.Select(r => (nodes[r.Node], r.Role)).ToArray());
        return new WorkflowModel(definition.Name, definition.Version, definition.Description, steps, typeof(StartEvent), [],
            definition.Timeout, verbose: false, plan, poolSizes, definition.TimeoutIncludesHumanWait);

        int NewPool(int size)
        {
            poolSizes.Add(Math.Max(1, size));
            return poolSizes.Count - 1;
        }
    }

    // Human steps open tasks instead of running code; the loop never invokes them.
    private static readonly StepInvoker HumanStepInvoker = static (_, _) =>
        throw new System.Diagnostics.UnreachableException("A human step is never invoked.");

    /// <summary>Every human step's form must be a usable JSON Schema, and its default outcome must satisfy it.</summary>
    private static void CheckForms(WorkflowDefinition definition, IFormValidator validator, List<string> errors)
    {
        var humans = definition.Steps.SelectMany(s => s is ParallelGroup p ? p.Steps : [s]).OfType<HumanStep>();
        foreach (var human in humans)
        {
            foreach (var problem in validator.CheckSchema(human.FormSchema))
            {
                errors.Add($"Human step '{human.Name}': its form schema is invalid: {problem}");
            }
            if (human.OnDue is DefaultOutcomeAction { Data: var data } && validator.Validate(human.FormSchema, data) is { Count: > 0 } violations)
            {
                errors.Add($"Human step '{human.Name}': its default outcome does not satisfy its form: " +
                    string.Join("; ", violations.Select(v => $"{v.Pointer} {v.Message}")));
            }
            if (human.OnDue is not null && human.Due is null)
            {
                errors.Add($"Human step '{human.Name}' says what happens at its deadline but has no Due.");
            }
        }
    }

    private static Dictionary<string, int> CheckNames(WorkflowDefinition definition, List<string> errors)
    {
        var nodes = new Dictionary<string, int>(StringComparer.Ordinal);
        var all = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < definition.Steps.Count; i++)
        {
            var step = definition.Steps[i];
            nodes.TryAdd(step.Name, i);
            var names = step switch
            {
                ParallelGroup p => p.Steps.Append(p.Callback).OfType<GraphStep>().Select(s => s.Name).Prepend(p.Name),
                RaceGroup r => r.Steps.Select(s => s.Name).Prepend(r.Name),
                _ => [step.Name],
            };
            foreach (var name in names.Where(n => !all.Add(n)))
            {
                errors.Add($"Step name '{name}' is used more than once; step names (group members included) must be unique.");
            }
            switch (step)
            {
                case ParallelGroup { Steps.Count: 0 } or RaceGroup { Steps.Count: 0 }:
                    errors.Add($"Group '{step.Name}' has no members.");
                    break;
                case ParallelGroup { MaxConcurrency: < 1 } parallel:
                    errors.Add($"Group '{step.Name}' has maxConcurrency {parallel.MaxConcurrency}; it must be at least 1.");
                    break;
                case ParallelGroup parallel when parallel.Steps.FirstOrDefault(m => m is not (BaseMachineStep or HumanStep)) is { } odd:
                    errors.Add($"Member '{odd.Name}' of group '{step.Name}' is a {odd.GetType().Name}; members are machine or human steps.");
                    break;
                case not (BaseMachineStep or HumanStep or ParallelGroup or RaceGroup):
                    errors.Add($"Step '{step.Name}' is a {step.GetType().Name}, which this engine cannot run.");
                    break;
            }
        }
        if (!nodes.ContainsKey(definition.InitialStep))
        {
            errors.Add($"The initial step '{definition.InitialStep}' is not a step of the definition.");
        }
        if (definition.TerminalSteps.Count == 0)
        {
            errors.Add("The definition names no terminal step, so no run could complete.");
        }
        foreach (var terminal in definition.TerminalSteps.Where(t => !nodes.ContainsKey(t)))
        {
            errors.Add($"The terminal step '{terminal}' is not a step of the definition.");
        }
        return nodes;
    }

    private static void CheckEdges(WorkflowDefinition definition, Dictionary<string, int> nodes, List<string> errors)
    {
        var members = definition.Steps.SelectMany(s => s switch
        {
            ParallelGroup p => p.Steps.Append(p.Callback).OfType<GraphStep>().Select(m => (Member: m.Name, Group: p.Name)),
            RaceGroup r => r.Steps.Select(m => (Member: m.Name, Group: r.Name)),
            _ => [],
        }).DistinctBy(m => m.Member).ToDictionary(m => m.Member, m => m.Group); // duplicates are reported by CheckNames
        foreach (var edge in definition.Edges)
        {
            foreach (var end in new[] { edge.Source, edge.Target }.Where(n => !nodes.ContainsKey(n)).Distinct())
            {
                errors.Add(members.TryGetValue(end, out var group)
                    ? $"Edge {edge}: step '{end}' is a member of group '{group}'; connect the group instead."
                    : $"Edge {edge}: unknown step '{end}'.");
            }
            if (edge.Condition?.Validate() is { } problem)
            {
                errors.Add($"Edge {edge.Source} → {edge.Target}: {problem}");
            }
        }
    }

    private static void CheckReachability(WorkflowDefinition definition, List<string> errors)
    {
        var next = definition.Edges.ToLookup(e => e.Source, e => e.Target);
        var reached = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([definition.InitialStep]);
        while (pending.TryPop(out var name))
        {
            if (reached.Add(name))
            {
                foreach (var target in next[name])
                {
                    pending.Push(target);
                }
            }
        }
        foreach (var step in definition.Steps.Where(s => !reached.Contains(s.Name)))
        {
            errors.Add($"Step '{step.Name}' is unreachable from the initial step '{definition.InitialStep}'.");
        }
        if (!definition.TerminalSteps.Any(reached.Contains))
        {
            errors.Add($"No path leads from the initial step '{definition.InitialStep}' to a terminal step ({string.Join(", ", definition.TerminalSteps)}).");
        }
    }

    /// <summary>Edges that close a cycle (their target is on the depth-first path from the initial node to their source).</summary>
    private static HashSet<int> FindBackEdges(int nodeCount, int initial, (int Source, int Target)[] edges)
    {
        var back = new HashSet<int>();
        var state = new byte[nodeCount]; // 0 unvisited, 1 on the path, 2 done
        Visit(initial);
        return back;

        void Visit(int node)
        {
            state[node] = 1;
            for (var i = 0; i < edges.Length; i++)
            {
                if (edges[i].Source != node)
                {
                    continue;
                }
                var target = edges[i].Target;
                if (state[target] == 1)
                {
                    back.Add(i);
                }
                else if (state[target] == 0)
                {
                    Visit(target);
                }
            }
            state[node] = 2;
        }
    }
}
