using AkkaHibernation.Actors.Behaviours;
using AkkaHibernation.Ids;

namespace AkkaHibernation.Transport.Sockets;

/// <summary>
/// Where a socket's data messages go: straight to the rooms on a single node (<see cref="DirectInbound"/>), numbered and
/// kept until the room confirms them in cluster mode (<see cref="UnacknowledgedInbound"/>).
/// </summary>
internal interface IInboundSink
{
    /// <summary>Sends the message to its room; false when the sink holds too many the room has not confirmed.</summary>
    bool TrySend(RoomKey room, ConnectionId connectionId, RoomMessage message);

    /// <summary>The room has handled the socket's messages up to <paramref name="upTo"/>.</summary>
    void Acknowledge(long upTo);

    /// <summary>Sends again what stayed unconfirmed for <paramref name="after"/>; returns how many.</summary>
    int RedeliverOverdue(long now, TimeSpan after);
}
