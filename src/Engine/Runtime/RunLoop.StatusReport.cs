namespace Workflows.Runtime;

/// <summary>
/// Telling the engine when the run's status changes, in publication order: the status a pass leaves the run in is
/// reported with the pass's items, as they appear on the stream (after their commit, with a store). A run that goes
/// from waiting to running leaves no item of its own, so this is the only exact way to follow it from outside.
/// </summary>
internal sealed partial class RunLoop
{
    private RunStatus? _reported;

    /// <summary>Where status changes go (set once, before the run starts).</summary>
    public RunStatusRelay? StatusRelay { get; set; }

    /// <summary>After a pass's items are published: reports <paramref name="status"/> if it differs from the last one reported.</summary>
    private void ReportStatus(RunStatus status)
    {
        if (_reported == status)
        {
            return;
        }
        var previous = _reported;
        _reported = status;
        if (StatusRelay?.Listeners is { } report && Items.Last is { } last)
        {
            report(new RunStatusChange(RunId, Model.Name, Model.Version, status, previous, last.Type, last.Sequence, last.Timestamp));
        }
    }
}
