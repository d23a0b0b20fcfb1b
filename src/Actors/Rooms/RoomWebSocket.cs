using System.Collections.Immutable;
using System.Text.Json;
using Akka.Actor;
using AkkaHibernation.Actors.Behaviours;

namespace AkkaHibernation.Actors.Rooms;

/// <summary>The handle a behaviour holds for one session during one room incarnation; all effects go through the runtime.</summary>
internal sealed class RoomWebSocket(
    RoomRuntime runtime,
    string connectionId,
    Func<IActorRef> startConnection,
    ImmutableArray<string> tags)
    : IHibernatableWebSocket
{
    private IActorRef? _connection;

    /// <summary>
    /// The session's ConnectionActor, started on first use: a wake re-attaches every session, and starting a
    /// thousand actors up front would delay the very event that woke the room.
    /// </summary>
    public IActorRef Connection => _connection ??= startConnection();

    /// <summary>The ConnectionActor if it was started.</summary>
    public IActorRef? StartedConnection => _connection;

    /// <summary>Set once the peer's close has reached the room.</summary>
    public bool PeerClosed { get; private set; }

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
