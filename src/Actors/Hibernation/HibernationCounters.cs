namespace AkkaHibernation.Actors.Hibernation;

/// <summary>
/// Thread-safe counters the manager keeps about room lifecycles; read by tests, logs and (later) metrics
/// without a round trip through the actor.
/// </summary>
public sealed class HibernationCounters
{
    private long _wakes;
    private long _hibernations;
    private long _resident;
    private long _lastWakeTicks;

    /// <summary>Room incarnations started (first start or wake from the journal).</summary>
    public long Wakes => Interlocked.Read(ref _wakes);

    /// <summary>Room incarnations that stopped through the passivation handshake.</summary>
    public long Hibernations => Interlocked.Read(ref _hibernations);

    /// <summary>Rooms with a live actor right now.</summary>
    public long Resident => Interlocked.Read(ref _resident);

    /// <summary>How long the latest wake took from spawn to recovered.</summary>
    public TimeSpan LastWakeLatency => TimeSpan.FromTicks(Interlocked.Read(ref _lastWakeTicks));

    internal void RoomStarted()
    {
        Interlocked.Increment(ref _wakes);
        Interlocked.Increment(ref _resident);
    }

    internal void RoomStopped(bool hibernated)
    {
        Interlocked.Decrement(ref _resident);
        if (hibernated)
            Interlocked.Increment(ref _hibernations);
    }

    internal void RoomRecovered(TimeSpan elapsed) => Interlocked.Exchange(ref _lastWakeTicks, elapsed.Ticks);
}
