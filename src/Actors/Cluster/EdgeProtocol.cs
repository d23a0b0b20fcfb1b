using AkkaHibernation.Actors.Serialization;
using AkkaHibernation.Actors.Sessions;

namespace AkkaHibernation.Actors.Cluster;

/// <summary>What a room on one node sends to the <see cref="SocketEdge"/> of the node that holds its sockets.</summary>
public static class EdgeProtocol
{
    /// <summary>Carry out <paramref name="Command"/> on socket <paramref name="ConnectionId"/>, in the order the room sent them.</summary>
    public sealed record EdgeCommand(string ConnectionId, ChannelCommand Command) : IWireMessage;

    /// <summary>
    /// A room that just woke asks which of these sockets ended while it slept; the edge answers each one that did
    /// with a <see cref="Rooms.RoomProtocol.Closed"/> envelope sent straight back to the room.
    /// </summary>
    public sealed record ProbeSessions(string RoomName, IReadOnlyList<string> ConnectionIds) : IWireMessage;
}
