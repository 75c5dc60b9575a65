namespace Workflows;

/// <summary>A machine step written as a delegate: <c>new MachineStep("send_email", async (ctx, ct) =&gt; ...)</c>.</summary>
public sealed class MachineStep : BaseMachineStep
{
    private readonly Func<WorkflowContext, CancellationToken, Task<object?>> _execute;
    private readonly Func<WorkflowContext, bool>? _canExecute;

    /// <summary>Creates a step whose work is <paramref name="execute"/>, optionally guarded by <paramref name="canExecute"/>.</summary>
    public MachineStep(string name, Func<WorkflowContext, CancellationToken, Task<object?>> execute, Func<WorkflowContext, bool>? canExecute = null)
        : base(name)
    {
        _execute = execute ?? throw new ArgumentNullException(nameof(execute));
        _canExecute = canExecute;
    }

    /// <summary>Creates a step that only changes the context.</summary>
    public MachineStep(string name, Action<WorkflowContext> execute)
        : this(name, (context, _) =>
        {
            execute(context);
            return Task.FromResult<object?>(null);
        })
    {
    }

    /// <inheritdoc/>
    public override Task<object?> ExecuteAsync(WorkflowContext context, CancellationToken cancellationToken) =>
        _execute(context, cancellationToken);

    /// <inheritdoc/>
    public override bool CanExecute(WorkflowContext context) => _canExecute?.Invoke(context) ?? true;
}
