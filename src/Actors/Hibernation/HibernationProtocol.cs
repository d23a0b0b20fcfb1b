using System.Text.Json.Serialization;
using AkkaHibernation.Actors.Serialization;
using AkkaHibernation.Ids;

namespace AkkaHibernation.Actors.Hibernation;

/// <summary>The passivation handshake between a room and the manager, plus the manager's queries.</summary>
public static class HibernationProtocol
{
    /// <summary>
    /// Room → manager: I am idle and my state is in the journal; you may stop me. In cluster mode the room tells its
    /// node's monitor the same before it passivates through its shard, so the stop counts as a hibernation.
    /// </summary>
    /// <param name="Counted">
    /// The room's journal holds its hibernation snapshot from this run of the node, so it counts among the hibernated
    /// rooms until it wakes from it; false for a room that never recorded an event (nothing of it is in the journal).
    /// </param>
    public sealed record RequestPassivation(bool Counted)
    {
        /// <summary>A room asleep under its hibernation snapshot.</summary>
        public static RequestPassivation Snapshotted { get; } = new(true);

        /// <summary>A room with nothing in the journal.</summary>
        public static RequestPassivation Empty { get; } = new(false);
    }

    /// <summary>Manager → room: stop now. Queued behind every envelope the manager forwarded before it.</summary>
    public sealed record StopRoom
    {
        /// <summary>The one instance.</summary>
        public static StopRoom Instance { get; } = new();
    }

    /// <summary>Manager → room, at shutdown: snapshot and ask to passivate now, without waiting for the idle timeout.</summary>
    public sealed record HibernateNow
    {
        /// <summary>The one instance.</summary>
        public static HibernateNow Instance { get; } = new();
    }

    /// <summary>Room → manager (→ alarm index): the room's alarm is due at <paramref name="At"/> (null: no alarm), so wake it then.</summary>
    public sealed record AlarmScheduled([property: JsonPropertyName("roomName")] RoomKey Room, DateTimeOffset? At) : IWireMessage;

    /// <summary>Alarm index → manager at start: a hibernated room's alarm known from before the restart.</summary>
    public sealed record AlarmRestored(RoomKey Room, DateTimeOffset At);

    /// <summary>
    /// Room → its host's observer (the manager, or the node's monitor): I recovered in <paramref name="Elapsed"/>;
    /// <paramref name="HibernatedHere"/>: from the snapshot this run of the node wrote when it hibernated me.
    /// </summary>
    public sealed record RoomRecovered(TimeSpan Elapsed, bool HibernatedHere);

    /// <summary>Ask the manager to hibernate every resident room; it answers <see cref="AllHibernated"/> when none is left.</summary>
    public sealed record HibernateAll
    {
        /// <summary>The one instance.</summary>
        public static HibernateAll Instance { get; } = new();
    }

    /// <summary>Every room has stopped.</summary>
    public sealed record AllHibernated
    {
        /// <summary>The one instance.</summary>
        public static AllHibernated Instance { get; } = new();
    }

    /// <summary>
    /// Ask the manager to hibernate every resident room and then start none: every envelope is kept, in arrival order,
    /// until <see cref="ReleaseRooms"/>. It answers <see cref="RoomsHeld"/> once no room is left in memory. A node does
    /// this while another process takes its sockets over, so that the journal is left to that process untouched.
    /// </summary>
    public sealed record HoldRooms
    {
        /// <summary>The one instance.</summary>
        public static HoldRooms Instance { get; } = new();
    }

    /// <summary>No room is in memory, and none will start until <see cref="ReleaseRooms"/>.</summary>
    public sealed record RoomsHeld
    {
        /// <summary>The one instance.</summary>
        public static RoomsHeld Instance { get; } = new();
    }

    /// <summary>Rooms may run again: the envelopes held meanwhile are routed first, in arrival order.</summary>
    public sealed record ReleaseRooms
    {
        /// <summary>The one instance.</summary>
        public static ReleaseRooms Instance { get; } = new();
    }

}
