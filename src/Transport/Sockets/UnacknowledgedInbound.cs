using Akka.Actor;
using AkkaHibernation.Actors.Behaviours;
using AkkaHibernation.Ids;
using static AkkaHibernation.Actors.Rooms.RoomProtocol;

namespace AkkaHibernation.Transport.Sockets;

/// <summary>
/// Cluster mode: the messages one socket sent that its room has not confirmed yet. Between nodes Akka delivers at
/// most once: a message sent to a room whose node has just died is lost, and so is one sent again before the
/// shard region has noticed. Kept here, numbered, they are sent again while they stay unconfirmed, and the room
/// (<c>InboundSequence</c>) handles each number once, in order. One per socket.
/// </summary>
internal sealed class UnacknowledgedInbound(int limit, IActorRef rooms) : IInboundSink
{
    private readonly Queue<Inbound> _pending = new();
    private long _sent;
    private long _ackedUpTo;
    private long _lastSentAt;

    /// <summary>Numbers the message, keeps it and sends it; false when <c>limit</c> unconfirmed messages are kept already.</summary>
    public bool TrySend(RoomKey room, ConnectionId connectionId, RoomMessage message)
    {
        lock (_pending)
        {
            if (_pending.Count >= limit)
                return false;
            var inbound = new Inbound(room, connectionId, message, ++_sent, _ackedUpTo);
            if (_pending.Count == 0)
                _lastSentAt = Environment.TickCount64;
            _pending.Enqueue(inbound);
            // Sent under the lock, so numbers leave in order, also against a redelivery running at the same time.
            rooms.Tell(inbound);
            return true;
        }
    }

    /// <summary>The room has handled everything up to <paramref name="upTo"/>.</summary>
    public void Acknowledge(long upTo)
    {
        lock (_pending)
        {
            _ackedUpTo = Math.Max(_ackedUpTo, upTo);
            while (_pending.TryPeek(out var oldest) && oldest.Seq <= _ackedUpTo)
                _pending.Dequeue();
        }
    }

    /// <summary>
    /// When no confirmation has come for <paramref name="after"/> since the unconfirmed messages were (last) sent,
    /// sends them all again, oldest first; returns how many.
    /// </summary>
    public int RedeliverOverdue(long now, TimeSpan after)
    {
        lock (_pending)
        {
            if (_pending.Count == 0 || now - _lastSentAt < (long)after.TotalMilliseconds)
                return 0;
            _lastSentAt = now;
            foreach (var inbound in _pending)
                rooms.Tell(inbound with { AckedUpTo = _ackedUpTo });
            return _pending.Count;
        }
    }
}
