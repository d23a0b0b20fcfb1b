using Akka.Actor;
using AkkaHibernation.Actors.Behaviours;
using AkkaHibernation.Ids;
using static AkkaHibernation.Actors.Rooms.RoomProtocol;

namespace AkkaHibernation.Transport.Sockets;

/// <summary>
/// A single node's inbound path: messages go to the hibernation manager as they are, unnumbered, since the manager
/// and the room live in this process and nothing between them loses a message. One serves every socket of a server.
/// </summary>
internal sealed class DirectInbound(IActorRef rooms) : IInboundSink
{
    public bool TrySend(RoomKey room, ConnectionId connectionId, RoomMessage message)
    {
        rooms.Tell(new Inbound(room, connectionId, message));
        return true;
    }

    public void Acknowledge(long upTo)
    {
        // Unnumbered messages are never confirmed.
    }

    public int RedeliverOverdue(long now, TimeSpan after) => 0;
}
