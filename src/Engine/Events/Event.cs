namespace Workflows;

/// <summary>
/// Base type of every event that flows between steps. Events are records: immutable values that the
/// runtime routes by type, shows on the run's item stream and (later) persists as JSON.
/// </summary>
public abstract record Event;
