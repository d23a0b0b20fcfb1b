using System.Text.Json.Serialization;
using AkkaHibernation.Actors.Serialization;
using AkkaHibernation.Actors.Sessions;
using AkkaHibernation.Ids;

namespace AkkaHibernation.Actors.Cluster;

/// <summary>What a room on one node sends to the <see cref="SocketEdge"/> of the node that holds its sockets.</summary>
public static class EdgeProtocol
{
    /// <summary>
    /// What one room turn does to sockets this node holds, in the order the room issued it: each item applies
    /// <c>Commands[item.Command]</c> to socket <c>item.ConnectionId</c>. A command for many sockets (a broadcast frame)
    /// is carried once, so a broadcast to a thousand sockets here is one message with one payload.
    /// </summary>
    public sealed record EdgeBatch(IReadOnlyList<ChannelCommand> Commands, IReadOnlyList<EdgeBatch.Item> Items) : IWireMessage
    {
        /// <summary>Apply command number <paramref name="Command"/> to socket <paramref name="ConnectionId"/>.</summary>
        public readonly record struct Item(ConnectionId ConnectionId, int Command);

        /// <summary>A batch of one command for one socket.</summary>
        public static EdgeBatch Single(ConnectionId connectionId, ChannelCommand command) => new([command], [new Item(connectionId, 0)]);
    }

    /// <summary>
    /// A room that just woke asks which of these sockets ended while it slept; the edge answers each one that did
    /// with a <see cref="Rooms.RoomProtocol.Closed"/> envelope sent straight back to the room.
    /// </summary>
    public sealed record ProbeSessions([property: JsonPropertyName("roomName")] RoomKey Room, IReadOnlyList<ConnectionId> ConnectionIds) : IWireMessage;
}
