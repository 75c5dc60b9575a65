namespace Workflows.Server.Hosting;

/// <summary>
/// Calls <see cref="LocalExecutionEngine.InitializeAsync"/> once, while the host is starting and before the server
/// takes requests: the store's schema is brought up to date and unfinished runs resume.
/// </summary>
internal sealed partial class EngineInitializer(LocalExecutionEngine engine, ILogger<EngineInitializer> logger) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        await engine.InitializeAsync(cancellationToken);
        if (engine.IsDurable)
        {
            LogDurable(logger);
        }
        else
        {
            LogInMemory(logger);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Runs are durable: the engine commits them to the store and resumed the unfinished ones.")]
    private static partial void LogDurable(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No connection string (ConnectionStrings:Workflows): runs live in memory and are lost when the server stops.")]
    private static partial void LogInMemory(ILogger logger);
}
