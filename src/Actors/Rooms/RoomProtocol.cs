using AkkaHibernation.Actors.Behaviours;
using AkkaHibernation.Actors.Serialization;
using AkkaHibernation.Actors.Ids;

namespace AkkaHibernation.Actors.Rooms;

/// <summary>The messages the transport sends to rooms (through the hibernation manager) and the replies it gets.</summary>
public static class RoomProtocol
{
    /// <summary>Anything addressed to a room; the manager routes by <see cref="RoomName"/> and wakes the room if needed.</summary>
    public interface IRoomEnvelope : IWireMessage
    {
        /// <summary>The room this envelope is for: its key (<see cref="Rooms.RoomName.Key"/>), the plain name for a room of the default type.</summary>
        string RoomName { get; }
    }

    /// <summary>An upgrade request; answered with <see cref="Accepted"/> or <see cref="Rejected"/>.</summary>
    public sealed record Connect(ConnectRequest Request) : IRoomEnvelope
    {
        /// <inheritdoc />
        public string RoomName => Request.RoomKey;
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
    public sealed record Inbound(string RoomName, ConnectionId ConnectionId, RoomMessage Message, long Seq = 0, long AckedUpTo = 0) : IRoomEnvelope;

    /// <summary>Start the room if it is hibernated (it recovers and reconciles); a no-op for a resident room.</summary>
    public sealed record Wake(string RoomName) : IRoomEnvelope;

    /// <summary>A client socket closed (code 1005: no status given; 1006: it vanished without a close frame).</summary>
    public sealed record Closed(string RoomName, ConnectionId ConnectionId, int Code, string Reason, bool WasClean) : IRoomEnvelope;
}
