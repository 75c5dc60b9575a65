namespace Workflows.Model;

/// <summary>
/// The registration checks of event-driven workflows (semantics.md, "validation"): every message names the
/// step and the event type concerned, and every problem is reported, not just the first.
/// </summary>
internal static class EventFlowValidator
{
    /// <summary>Adds every problem of <paramref name="steps"/> to <paramref name="errors"/>; returns the start event type when there is exactly one.</summary>
    public static Type? Validate(IReadOnlyList<StepModel> steps, IReadOnlyList<Type> externalEvents, List<string> errors)
    {
        foreach (var duplicate in steps.GroupBy(s => s.Name).Where(g => g.Count() > 1))
        {
            errors.Add($"Step name '{duplicate.Key}' is used by {duplicate.Count()} steps; step names must be unique.");
        }

        var startSteps = steps.Where(s => s.Accepts.Any(IsStart)).ToArray();
        var startTypes = startSteps.SelectMany(s => s.Accepts.Where(IsStart)).Distinct().ToArray();
        if (startSteps.Length == 0)
        {
            errors.Add("No start step: no step accepts StartEvent or a type derived from it.");
        }
        else if (startTypes.Length > 1)
        {
            errors.Add("More than one start event type: " + string.Join(", ", startSteps.Select(s =>
                $"step '{s.Name}' accepts {string.Join("/", s.Accepts.Where(IsStart).Select(t => t.Name))}")) + "; a workflow has exactly one.");
        }

        if (!steps.Any(s => s.Emits.Any(IsStop)))
        {
            errors.Add("No step produces a StopEvent, so a run could never finish: declare a StopEvent return type or [Emits(typeof(StopEvent))].");
        }

        foreach (var step in steps)
        {
            if (step.Emits.Any(IsInputRequest) && !steps.Any(s => s.Accepts.Any(IsHumanResponse)))
            {
                errors.Add($"Step '{step.Name}' asks for input (InputRequiredEvent) but no step accepts HumanResponseEvent.");
            }
            foreach (var emitted in step.Emits.Where(t => !IsStop(t) && !IsInputRequest(t)))
            {
                if (!steps.Any(s => s.AcceptsType(emitted)))
                {
                    errors.Add($"Event {emitted.Name} is produced by step '{step.Name}' but no step accepts it.");
                }
            }
            foreach (var accepted in step.Accepts.Where(t => !IsStart(t)))
            {
                var produced = steps.Any(s => s.Emits.Any(e => accepted.IsAssignableFrom(e) || e.IsAssignableFrom(accepted)))
                    || externalEvents.Any(e => accepted.IsAssignableFrom(e) || e.IsAssignableFrom(accepted))
                    || (IsHumanResponse(accepted) && steps.Any(s => s.Emits.Any(IsInputRequest)));
                if (!produced)
                {
                    errors.Add($"Step '{step.Name}' accepts {accepted.Name}, but no step produces it.");
                }
            }
        }

        ReportUnreachable(steps, externalEvents, errors);
        ReportNoPathToStop(steps, externalEvents.Count > 0, errors);
        return startTypes.Length == 1 ? startTypes[0] : null;
    }

    private static void ReportUnreachable(IReadOnlyList<StepModel> steps, IReadOnlyList<Type> externalEvents, List<string> errors)
    {
        var reached = new HashSet<StepModel>();
        var pending = new Queue<StepModel>(steps.Where(s => s.Accepts.Any(IsStart)
            || s.Accepts.Any(a => externalEvents.Any(e => a.IsAssignableFrom(e)))));
        while (pending.TryDequeue(out var step))
        {
            if (!reached.Add(step))
            {
                continue;
            }
            foreach (var next in Successors(step, steps))
            {
                pending.Enqueue(next);
            }
        }
        foreach (var step in steps.Where(s => !reached.Contains(s) && !s.Accepts.Any(IsStart)))
        {
            errors.Add($"Step '{step.Name}' is unreachable from the start event: it accepts {string.Join("/", step.Accepts.Select(t => t.Name))}, which no reachable step produces.");
        }
    }

    /// <remarks>
    /// In a workflow that takes events from outside, a step that emits nothing may end its branch: the run then waits
    /// for the outside event that leads to the stop.
    /// </remarks>
    private static void ReportNoPathToStop(IReadOnlyList<StepModel> steps, bool waitsForOutside, List<string> errors)
    {
        var stops = new HashSet<StepModel>(steps.Where(s => s.Emits.Any(IsStop)));
        bool grew;
        do
        {
            grew = false;
            foreach (var step in steps.Where(s => !stops.Contains(s)))
            {
                if (Successors(step, steps).Any(stops.Contains))
                {
                    stops.Add(step);
                    grew = true;
                }
            }
        }
        while (grew);
        if (stops.Count == 0)
        {
            return; // already reported as "no StopEvent producer"
        }
        foreach (var step in steps.Where(s => !stops.Contains(s) && !(waitsForOutside && s.Emits.Count == 0)))
        {
            errors.Add($"Step '{step.Name}' has no path to a StopEvent: nothing it produces ({string.Join(", ", step.Emits.Select(t => t.Name).DefaultIfEmpty("no event"))}) leads to a stop.");
        }
    }

    private static IEnumerable<StepModel> Successors(StepModel step, IReadOnlyList<StepModel> steps)
    {
        foreach (var emitted in step.Emits)
        {
            foreach (var next in steps)
            {
                // A request for input is answered by a HumanResponseEvent: that is the path it opens.
                if (next.AcceptsType(emitted) || (IsInputRequest(emitted) && next.Accepts.Any(IsHumanResponse)))
                {
                    yield return next;
                }
            }
        }
    }

    private static bool IsStart(Type type) => typeof(StartEvent).IsAssignableFrom(type);

    private static bool IsStop(Type type) => typeof(StopEvent).IsAssignableFrom(type);

    private static bool IsInputRequest(Type type) => typeof(InputRequiredEvent).IsAssignableFrom(type);

    private static bool IsHumanResponse(Type type) => typeof(HumanResponseEvent).IsAssignableFrom(type);
}
