using AkkaHibernation.Ids;

namespace AkkaHibernation;

/// <summary>
/// A room's handle on one accepted socket, the equivalent of a Durable Object's hibernatable WebSocket. A new
/// handle is made for every room incarnation; its id and attachment are what survive hibernation.
/// </summary>
public interface IHibernatableWebSocket
{
    /// <summary>The transport's id of the socket, stable across hibernation.</summary>
    ConnectionId ConnectionId { get; }

    /// <summary>Tags given when the socket was accepted.</summary>
    IReadOnlyList<string> Tags { get; }

    /// <summary>Sends a text frame.</summary>
    void Send(string text);

    /// <summary>Sends a binary frame.</summary>
    void Send(ReadOnlyMemory<byte> data);

    /// <summary>Closes the socket. A no-op when the peer already closed it without a code or vanished.</summary>
    /// <exception cref="ArgumentException">The code may not be sent (RFC 6455 §7.4) or the reason exceeds 123 UTF-8 bytes.</exception>
    void Close(int code, string reason);

    /// <summary>Stores JSON of <paramref name="value"/> with the socket; persisted, so it survives hibernation and restarts of the room.</summary>
    /// <exception cref="ArgumentException">The serialized value exceeds the attachment size limit.</exception>
    /// <exception cref="InvalidOperationException">The peer closed the socket.</exception>
    void SerializeAttachment<T>(T value);

    /// <summary>Reads the attachment back, or default when none is set; in OnClose, the attachment the socket closed with.</summary>
    T? DeserializeAttachment<T>();
}
