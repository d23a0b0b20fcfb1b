namespace AkkaHibernation;

/// <summary>One delivery of a room's alarm: when it was due, and how many deliveries of it failed before this one.</summary>
public sealed record AlarmInvocation(DateTimeOffset ScheduledFor, int RetryCount);
