using System.Diagnostics.Metrics;

namespace AkkaHibernation.Actors.Hibernation;

/// <summary>
/// Room lifecycle figures, kept with Interlocked operations so tests and logs read them without an actor round
/// trip, and published through <see cref="System.Diagnostics.Metrics"/> when given a <see cref="Meter"/>.
/// </summary>
public sealed class HibernationCounters
{
    private long _wakes;
    private long _hibernations;
    private long _resident;
    private long _hibernated;
    private long _lastWakeTicks;
    private readonly Histogram<double>? _wakeLatency;
    private readonly Histogram<double>? _journalWriteLatency;

    /// <summary>Counters that are only read in-process.</summary>
    public HibernationCounters()
    {
    }

    /// <summary>Counters that also publish their instruments on <paramref name="meter"/>.</summary>
    public HibernationCounters(Meter meter)
    {
        meter.CreateObservableCounter("rooms.wakes", () => Wakes, "{room}", "Room incarnations started (first start or wake from the journal)");
        meter.CreateObservableCounter("rooms.hibernations", () => Hibernations, "{room}", "Rooms that left memory through the passivation handshake");
        meter.CreateObservableGauge("rooms.resident", () => Resident, "{room}", "Rooms with a live actor");
        meter.CreateObservableGauge("rooms.hibernated", () => Hibernated, "{room}", "Rooms this node has hibernated and not woken since");
        _wakeLatency = meter.CreateHistogram<double>("rooms.wake.duration.ms", "ms", "Time from starting a room to its recovery from the journal");
        _journalWriteLatency = meter.CreateHistogram<double>("journal.write.duration.ms", "ms", "Time from a room's persist call to the journal's confirmation");
    }

    /// <summary>Room incarnations started (first start or wake from the journal).</summary>
    public long Wakes => Interlocked.Read(ref _wakes);

    /// <summary>Room incarnations that stopped through the passivation handshake.</summary>
    public long Hibernations => Interlocked.Read(ref _hibernations);

    /// <summary>Rooms with a live actor right now.</summary>
    public long Resident => Interlocked.Read(ref _resident);

    /// <summary>Rooms this node has hibernated and not woken since.</summary>
    public long Hibernated => Interlocked.Read(ref _hibernated);

    /// <summary>
    /// This run of the node, as a room's hibernation snapshot records it: a room that wakes from a snapshot this run
    /// wrote was counted in <see cref="Hibernated"/> and counts itself out, so the node keeps nothing per sleeping room.
    /// </summary>
    public string RunId { get; } = Guid.NewGuid().ToString("N");

    /// <summary>How long the latest wake took from spawn to recovered.</summary>
    public TimeSpan LastWakeLatency => TimeSpan.FromTicks(Interlocked.Read(ref _lastWakeTicks));

    internal void RoomStarted()
    {
        Interlocked.Increment(ref _wakes);
        Interlocked.Increment(ref _resident);
    }

    /// <summary>A room stopped: through the passivation handshake when <paramref name="hibernated"/>, and
    /// <paramref name="counted"/> when it sleeps under its hibernation snapshot from this run.</summary>
    internal void RoomStopped(bool hibernated, bool counted)
    {
        Interlocked.Decrement(ref _resident);
        if (hibernated)
            Interlocked.Increment(ref _hibernations);
        if (hibernated && counted)
            Interlocked.Increment(ref _hibernated);
    }

    /// <summary>A room recovered; <paramref name="hibernatedHere"/>: from the snapshot this run wrote when it hibernated it.</summary>
    internal void RoomRecovered(TimeSpan elapsed, bool hibernatedHere)
    {
        if (hibernatedHere && Interlocked.Decrement(ref _hibernated) < 0)
            Interlocked.Increment(ref _hibernated); // never below none, whatever a failed room's replay says
        Interlocked.Exchange(ref _lastWakeTicks, elapsed.Ticks);
        _wakeLatency?.Record(elapsed.TotalMilliseconds);
    }

    internal void JournalWritten(TimeSpan elapsed) => _journalWriteLatency?.Record(elapsed.TotalMilliseconds);
}
