namespace Workflows;

/// <summary>One write to a run's state: which step made it (null when not known) and where.</summary>
public sealed record StateWrite(string? Step, string Path);
