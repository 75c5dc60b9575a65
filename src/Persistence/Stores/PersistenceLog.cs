using Microsoft.Extensions.Logging;

namespace Workflows.Persistence.EntityFramework.Stores;

/// <summary>Log messages of the store.</summary>
internal static partial class PersistenceLog
{
    [LoggerMessage(EventId = 40, Level = LogLevel.Information, Message = "Workflow store ({Provider}): schema upgraded from version {From} to {To}")]
    public static partial void SchemaUpgraded(ILogger logger, string provider, int from, int to);

    [LoggerMessage(EventId = 41, Level = LogLevel.Debug, Message = "Workflow store ({Provider}): schema at version {Version}")]
    public static partial void SchemaCurrent(ILogger logger, string provider, int version);

    [LoggerMessage(EventId = 42, Level = LogLevel.Warning, Message = "Workflow store ({Provider}): closing a connection failed; it is discarded, not pooled again")]
    public static partial void CloseFailed(ILogger logger, Exception error, string provider);

    [LoggerMessage(EventId = 43, Level = LogLevel.Warning, Message = "Workflow store ({Provider}): a read failed on a pooled connection; the pool is cleared and the read runs once more")]
    public static partial void ReadRetried(ILogger logger, Exception error, string provider);
}
