using System.Diagnostics;

namespace AkkaHibernation.Actors.Rooms;

/// <summary>
/// Times a room's wake from the moment its incarnation is made, and counts the garbage collections that ran in the
/// meantime: a collection that lands inside a wake pauses it with everything the wake allocated still alive (tens of
/// milliseconds at 5,000 sessions), so the wake log line says how much of its time the collector took. The collector's
/// figures are the whole process's, not this room's alone.
/// </summary>
internal sealed class WakeClock
{
    private readonly Stopwatch _elapsed = Stopwatch.StartNew();
    private readonly int _collectionsAtStart = GC.CollectionCount(0);
    private readonly TimeSpan _pausedAtStart = GC.GetTotalPauseDuration();

    /// <summary>Time since the incarnation was made.</summary>
    public TimeSpan Elapsed => _elapsed.Elapsed;

    /// <summary>Collections of any generation since the incarnation was made (every one of them collects gen0).</summary>
    public int Collections => GC.CollectionCount(0) - _collectionsAtStart;

    /// <summary>Time the runtime was paused for collections since the incarnation was made.</summary>
    public TimeSpan Paused => GC.GetTotalPauseDuration() - _pausedAtStart;
}
