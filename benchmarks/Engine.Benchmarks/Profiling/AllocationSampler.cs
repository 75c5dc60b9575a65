using System.Diagnostics.Tracing;

namespace Workflows.Benchmarks.Profiling;

/// <summary>
/// Allocations by type without external tools: listens in-process to the runtime's <c>GCAllocationTick</c>
/// event, which fires about every 100 KB allocated and names the type of the object that crossed the mark.
/// Summing each sample's amount by type gives a statistical split of the bytes, good to a few percent once
/// thousands of samples are in.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const string RuntimeSource = "Microsoft-Windows-DotNETRuntime";
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (long Bytes, int Samples)> _byType = new(StringComparer.Ordinal);
    private volatile bool _recording;

    public void Start()
    {
        lock (_gate)
        {
            _byType.Clear();
        }
        _recording = true;
    }

    /// <summary>Stops recording and returns (type, sampled bytes, samples), largest first.</summary>
    public IReadOnlyList<(string Type, long Bytes, int Samples)> Stop()
    {
        _recording = false;
        lock (_gate)
        {
            return _byType.Select(kv => (kv.Key, kv.Value.Bytes, kv.Value.Samples)).OrderByDescending(t => t.Bytes).ToArray();
        }
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == RuntimeSource)
        {
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs data)
    {
        if (!_recording || data.EventName is null || !data.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal) || data.PayloadNames is null)
        {
            return;
        }
        var type = Payload(data, "TypeName") as string ?? "?";
        var amount = Payload(data, "AllocationAmount64") is { } big ? Convert.ToInt64(big, System.Globalization.CultureInfo.InvariantCulture)
            : Convert.ToInt64(Payload(data, "AllocationAmount") ?? 0, System.Globalization.CultureInfo.InvariantCulture);
        lock (_gate)
        {
            var (bytes, samples) = _byType.GetValueOrDefault(type);
            _byType[type] = (bytes + amount, samples + 1);
        }
    }

    private static object? Payload(EventWrittenEventArgs data, string name)
    {
        var index = data.PayloadNames!.IndexOf(name);
        return index >= 0 ? data.Payload![index] : null;
    }
}
