using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using AkkaHibernation.Ids;

namespace AkkaHibernation.Actors.Rooms;

/// <summary>One accepted WebSocket session of a room, as the journal knows it.</summary>
/// <param name="ConnectionId">The transport's id of the socket.</param>
/// <param name="Ordinal">Acceptance order within the room, so listings keep the order sockets were accepted in.</param>
/// <param name="OpenedAt">When the room accepted the socket.</param>
/// <param name="Attachment">The JSON the room attached to the socket, or null.</param>
/// <param name="Tags">Tags given when the socket was accepted.</param>
/// <param name="Edge">
/// In cluster mode, the serialized path (with uid) of the edge actor on the node that holds the socket, so the room
/// reaches it from whichever node it runs on; null on a single node, and then left out of the stored JSON.
/// </param>
public sealed record Session(
    ConnectionId ConnectionId,
    long Ordinal,
    DateTimeOffset OpenedAt,
    JsonElement? Attachment,
    ImmutableArray<string> Tags,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] EdgeAddress? Edge = null);
