using AkkaHibernation.Actors.Rooms;
using AkkaHibernation.Ids;

namespace AkkaHibernation.Actors.Sessions;

/// <summary>
/// The port through which a room reaches one client socket. The transport implements it and owns the socket,
/// so the socket outlives any number of room incarnations.
/// </summary>
public interface IClientChannel
{
    /// <summary>The transport's id of this socket.</summary>
    ConnectionId ConnectionId { get; }

    /// <summary>Queues a data frame; never blocks. A full queue closes the socket rather than growing memory.</summary>
    void Send(OutboundFrame frame);

    /// <summary>Queues a close frame after the frames already queued. A no-op once the socket is closing.</summary>
    void Close(int code, string reason);

    /// <summary>Replaces the text the transport answers by itself; null turns auto-response off.</summary>
    void SetAutoResponse(AutoResponsePair? pair);

    /// <summary>How the socket ended, once the transport has reported it to the room; null while it is open.</summary>
    ChannelEnd? Ended { get; }

    /// <summary>When the transport last answered an auto-response on this socket, if ever.</summary>
    DateTimeOffset? LastAutoResponseAt { get; }

    /// <summary>
    /// Cluster mode: the room has handled the socket's numbered messages up to <paramref name="upTo"/>, so the
    /// transport need not keep them to send again.
    /// </summary>
    void Acknowledge(long upTo);

    /// <summary>
    /// The room has handled this socket's close: the transport may forget it. If the room never sent its own
    /// close frame, the transport completes the handshake itself.
    /// </summary>
    void Release();
}
