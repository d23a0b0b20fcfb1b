using System.Text.Json.Serialization;
using AkkaHibernation.Actors.Behaviours;
using AkkaHibernation.Actors.Serialization;
using AkkaHibernation.Ids;

namespace AkkaHibernation.Actors.Rooms;

/// <summary>The messages the transport sends to rooms (through the hibernation manager) and the replies it gets.</summary>
public static class RoomProtocol
{
    /// <summary>
    /// Anything addressed to a room; the manager routes by <see cref="Room"/> and wakes the room if needed. On the wire
    /// the room is the field <c>roomName</c>, as it was before keys were typed, so nodes of both releases understand each other.
    /// </summary>
    public interface IRoomEnvelope : IWireMessage
    {
        /// <summary>The room this envelope is for.</summary>
        RoomKey Room { get; }
    }

    /// <summary>An upgrade request; answered with <see cref="Accepted"/> or <see cref="Rejected"/>.</summary>
    public sealed record Connect(ConnectRequest Request) : IRoomEnvelope
    {
        /// <inheritdoc />
        public RoomKey Room => Request.Room;
    }

    /// <summary>The room accepted the socket; the transport may now complete the upgrade, naming <paramref name="Subprotocol"/> if any.</summary>
    public sealed record Accepted(ConnectionId ConnectionId, AutoResponsePair? AutoResponse, string? Subprotocol = null) : IWireMessage;

    /// <summary>The room refused the upgrade with an HTTP status and body.</summary>
    public sealed record Rejected(ConnectionId ConnectionId, int Status, string Body) : IWireMessage;

    /// <summary>
    /// A data message from a client socket. In cluster mode the socket's node numbers them (<paramref name="Seq"/> from
    /// 1; 0 on a single node) and sends again those the room has not confirmed if the room's node dies;
    /// <paramref name="AckedUpTo"/> is the highest number the room had confirmed when this one was sent.
    /// </summary>
    public sealed record Inbound([property: JsonPropertyName("roomName")] RoomKey Room, ConnectionId ConnectionId, RoomMessage Message, long Seq = 0, long AckedUpTo = 0) : IRoomEnvelope;

    /// <summary>Start the room if it is hibernated (it recovers and reconciles); a no-op for a resident room.</summary>
    public sealed record Wake([property: JsonPropertyName("roomName")] RoomKey Room) : IRoomEnvelope;

    /// <summary>A client socket closed (code 1005: no status given; 1006: it vanished without a close frame).</summary>
    public sealed record Closed([property: JsonPropertyName("roomName")] RoomKey Room, ConnectionId ConnectionId, int Code, string Reason, bool WasClean) : IRoomEnvelope;
}
