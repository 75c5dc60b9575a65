namespace Workflows.Engine.Tests.Support;

/// <summary>
/// A gate that opens once <c>required</c> callers have arrived. A step that awaits it proves that
/// <c>required</c> invocations were inside at the same moment; if the engine never lets that many in, the wait
/// times out and the step fails, so the test fails instead of hanging.
/// </summary>
internal sealed class ArrivalGate(int required)
{
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _arrived;

    public int Arrived => Volatile.Read(ref _arrived);

    public Task Opened => _open.Task;

    public Task ArriveAndWaitAsync()
    {
        if (Interlocked.Increment(ref _arrived) >= required)
        {
            _open.TrySetResult();
        }
        return _open.Task.WaitAsync(TimeSpan.FromSeconds(5));
    }
}
