namespace Workflows.Engine.Tests.Support;

/// <summary>A one-shot signal between a step and its test (a TaskCompletionSource that never runs continuations inline).</summary>
internal sealed class Signal
{
    private readonly TaskCompletionSource _source = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Task => _source.Task;

    public bool IsSet => _source.Task.IsCompleted;

    public void Set() => _source.TrySetResult();

    /// <summary>Waits for the signal, failing after 5 s rather than hanging.</summary>
    public Task WaitAsync() => _source.Task.WaitAsync(TimeSpan.FromSeconds(5));

    /// <summary>Sets this signal when <paramref name="token"/> is cancelled.</summary>
    public CancellationTokenRegistration SetOn(CancellationToken token) => token.Register(static s => ((Signal)s!).Set(), this);
}
