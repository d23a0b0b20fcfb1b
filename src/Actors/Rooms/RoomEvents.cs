using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using AkkaHibernation.Actors.Serialization;
using AkkaHibernation.Ids;

namespace AkkaHibernation.Actors.Rooms;

/// <summary>The events a room persists; <see cref="RoomState.Apply"/> folds them into state.</summary>
public static class RoomEvents
{
    /// <summary>Marker for every room event.</summary>
    public interface IRoomEvent : IJournalPayload;

    /// <summary>The room accepted a socket; <paramref name="Edge"/> is where it is held in cluster mode (see <see cref="Session.Edge"/>).</summary>
    public sealed record SessionOpened(
        ConnectionId ConnectionId,
        DateTimeOffset OpenedAt,
        ImmutableArray<string> Tags,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] EdgeAddress? Edge = null) : IRoomEvent;

    /// <summary>The room attached JSON to a socket (null clears it).</summary>
    public sealed record AttachmentChanged(ConnectionId ConnectionId, JsonElement? Attachment) : IRoomEvent;

    /// <summary>A session ended: the peer closed, the socket vanished, or the room found it gone on waking.</summary>
    public sealed record SessionClosed(ConnectionId ConnectionId, int Code, string Reason, bool WasClean) : IRoomEvent;

    /// <summary>The room set (or, with null, cleared) its auto-response pair.</summary>
    public sealed record AutoResponseChanged(AutoResponsePair? Pair) : IRoomEvent;

    /// <summary>The room stored a JSON value under a key.</summary>
    public sealed record StoragePut(string Key, JsonElement Value) : IRoomEvent;

    /// <summary>The room removed a key from its storage.</summary>
    public sealed record StorageDeleted(string Key) : IRoomEvent;

    /// <summary>The room set its alarm (replacing any earlier one).</summary>
    public sealed record AlarmSet(DateTimeOffset At) : IRoomEvent;

    /// <summary>The room's alarm was deleted, or fired.</summary>
    public sealed record AlarmDeleted : IRoomEvent;
}
