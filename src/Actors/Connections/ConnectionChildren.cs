using Akka.Actor;
using AkkaHibernation.Actors.Rooms;
using AkkaHibernation.Ids;
using static AkkaHibernation.Actors.Connections.ConnectionProtocol;

namespace AkkaHibernation.Actors.Connections;

/// <summary>
/// A room incarnation's <see cref="ConnectionActor"/> children: made when the room accepts a session and, after a
/// wake, for every session it re-attached; retired when the room stops. Making a child costs about 10–25 µs (its cell,
/// mailbox and start message: docs/BENCHMARKS.md), so a wake does not make them before its first turn: 5,000 would
/// double the wake. Nor right after it: made while the wake's first broadcast is still being written, they took the
/// CPU its writers needed (the last frame of a wake of 5,000 came 1.3× later, docs/BENCHMARKS.md). So the sessions it
/// re-attached are made from <see cref="AfterWake"/> on, in slices of <see cref="Slice"/> between the room's messages,
/// and until its child exists the room applies a session's commands to the socket itself, which keeps their order
/// (those calls are done before the child's first command is even sent).
/// </summary>
internal sealed class ConnectionChildren
{
    /// <summary>Children made per slice after a wake: a slice takes a few milliseconds, so messages wait at most that long.</summary>
    public const int Slice = 256;

    /// <summary>How long after a wake the first slice is made: long enough for a wake's broadcast to 5,000 sockets to leave.</summary>
    public static readonly TimeSpan AfterWake = TimeSpan.FromMilliseconds(250);

    private readonly Queue<RoomWebSocket> _toMake = new();

    // Every child made and not yet terminated, watched by the room. A stopping room waits for all of them: a child
    // whose session was released stops by itself after its last commands, and had the room stopped first, those
    // commands (a close's answer among them) died in the child's mailbox with it.
    private readonly HashSet<IActorRef> _alive = [];

    /// <summary>Whether re-attached sessions still wait for their child.</summary>
    public bool Unmade => _toMake.Count > 0;

    /// <summary>Makes the child of <paramref name="socket"/> now, if it has none.</summary>
    public IActorRef Make(IActorContext room, RoomWebSocket socket)
    {
        if (socket.Connection is { } made)
            return made;
        var child = room.ActorOf(ConnectionActor.Props(socket.Channel), socket.ConnectionId.Value);
        room.Watch(child);
        _alive.Add(child);
        return socket.Connection = child;
    }

    /// <summary>Queues the children of re-attached sessions, to be made a slice at a time.</summary>
    public void MakeLater(IEnumerable<RoomWebSocket> sockets)
    {
        foreach (var socket in sockets)
            _toMake.Enqueue(socket);
    }

    /// <summary>Makes the next slice of queued children (skipping sessions closed meanwhile); true while more remain.</summary>
    public bool MakeSlice(IActorContext room)
    {
        for (var made = 0; made < Slice && _toMake.TryDequeue(out var socket);)
        {
            if (socket.PeerClosed || socket.Connection is not null)
                continue;
            Make(room, socket);
            made++;
        }
        return Unmade;
    }

    /// <summary>
    /// Tells every child of <paramref name="sockets"/> to retire after what it has queued; each one's termination, like
    /// that of a child whose session was released, goes to <see cref="OnTerminated"/>.
    /// </summary>
    public void Retire(IEnumerable<RoomWebSocket> sockets)
    {
        _toMake.Clear();
        foreach (var socket in sockets)
        {
            if (socket.Connection is not { } child)
                continue;
            child.Tell(ConnectionProtocol.Retire.Instance);
            socket.Connection = null;
        }
    }

    /// <summary>An actor the room watches has terminated; false when it was not one of its children.</summary>
    public bool OnTerminated(IActorRef actor) => _alive.Remove(actor);

    /// <summary>Whether every child made has terminated.</summary>
    public bool AllGone => _alive.Count == 0;
}
