using System.Collections.Immutable;
using System.Text.Json;
using Akka.Actor;
using AkkaHibernation.Actors.Behaviours;
using AkkaHibernation.Actors.Sessions;
using AkkaHibernation.Ids;

namespace AkkaHibernation.Actors.Rooms;

/// <summary>The handle a behaviour holds for one session during one room incarnation; all effects go through the runtime.</summary>
internal sealed class RoomWebSocket(
    RoomRuntime runtime,
    ConnectionId connectionId,
    long ordinal,
    IClientChannel channel,
    ImmutableArray<string> tags)
    : IHibernatableWebSocket
{
    /// <summary>The session's place in the room's acceptance order, kept here so listings sort without state lookups.</summary>
    public long Ordinal { get; } = ordinal;

    /// <summary>The transport's socket; the room applies its commands to it directly, in the order it issued them.</summary>
    public IClientChannel Channel { get; } = channel;

    /// <summary>Set once the peer's close has reached the room.</summary>
    public bool PeerClosed { get; private set; }

    /// <summary>
    /// The session's <see cref="Connections.ConnectionActor"/>, once the room has made it; until then (the first moments
    /// after a wake) and after the session is released, the room applies commands to <see cref="Channel"/> itself.
    /// </summary>
    public IActorRef? Connection { get; set; }

    /// <summary>Whether the connection actor has put numbered messages of this socket in order (cluster mode), so may hold some.</summary>
    public bool HasNumberedInbound { get; set; }

    /// <summary>The attachment the session had when it closed, so that OnClose can still read it.</summary>
    public JsonElement? AttachmentAtClose { get; private set; }

    public ConnectionId ConnectionId { get; } = connectionId;

    public IReadOnlyList<string> Tags { get; } = tags;

    public void Send(string text) => runtime.Send(this, text);

    public void Send(ReadOnlyMemory<byte> data) => runtime.Send(this, data);

    public void Close(int code, string reason) => runtime.Close(this, code, reason);

    public void SerializeAttachment<T>(T value) => runtime.SetAttachment(this, value);

    public T? DeserializeAttachment<T>() => runtime.GetAttachment<T>(this);

    public void MarkPeerClosed(JsonElement? attachment)
    {
        PeerClosed = true;
        AttachmentAtClose = attachment;
    }

    public override string ToString() => ConnectionId.Value;
}
