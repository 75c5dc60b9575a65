namespace Workflows.Model;

/// <summary>
/// Whether a step has shown itself cheap: its last <see cref="Evidence"/> timed invocations each took under
/// <see cref="CheapBelow"/>, awaits included. A cheap step is run by the worker thread that launched it (see
/// <c>Runtime.InlineSteps</c>): handing it to another core would cost more than running it. One slow invocation
/// makes the step ordinary again until it has shown the evidence anew.
/// </summary>
/// <remarks>
/// Shared by every run of the workflow and written from their worker threads without a lock: it is a heuristic, and an
/// increment lost to a race only delays the verdict. Once a step is cheap, its fast invocations write nothing, so
/// the field is read-mostly and the loops of many runs do not fight over its cache line.
/// </remarks>
internal sealed class StepCost
{
    /// <summary>An invocation that took at least this long (start item to result item) is not cheap.</summary>
    public static readonly TimeSpan CheapBelow = TimeSpan.FromMicroseconds(50);

    /// <summary>Consecutive fast invocations it takes to call a step cheap.</summary>
    public const int Evidence = 16;

    private int _fastInARow;

    public bool IsCheap => _fastInARow >= Evidence;

    /// <summary>Notes one invocation whose code took <paramref name="elapsed"/> (awaits included).</summary>
    public void Observe(TimeSpan elapsed)
    {
        if (elapsed < CheapBelow)
        {
            if (_fastInARow < Evidence)
            {
                _fastInARow++;
            }
        }
        else if (_fastInARow != 0)
        {
            _fastInARow = 0;
        }
    }
}
