using System.Collections.Immutable;
using System.Text.Json;
using AkkaHibernation.Actors.Sessions;
using AkkaHibernation.Actors.Behaviours;

namespace AkkaHibernation.Actors.Rooms;

/// <summary>The handle a behaviour holds for one session during one room incarnation; all effects go through the runtime.</summary>
internal sealed class RoomWebSocket(
    RoomRuntime runtime,
    string connectionId,
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

    /// <summary>The numbered messages of this socket handled or held by this incarnation (cluster mode only, so made on first use).</summary>
    public InboundSequence InboundSequence => _inboundSequence ??= new InboundSequence();

    /// <summary>Messages held for an earlier one that can no longer arrive (the socket closed), in send order.</summary>
    public IReadOnlyList<RoomMessage> ReleaseHeldInbound() => _inboundSequence?.ReleaseHeld() ?? [];

    private InboundSequence? _inboundSequence;

    /// <summary>The attachment the session had when it closed, so that OnClose can still read it.</summary>
    public JsonElement? AttachmentAtClose { get; private set; }

    public string ConnectionId { get; } = connectionId;

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

    public override string ToString() => ConnectionId;
}
