using System.Text.Json;
using System.Text.Json.Serialization;
using AkkaHibernation.Actors.Serialization;

namespace AkkaHibernation.Actors.Rooms;

/// <summary>The stored form of a <see cref="RoomState"/>: sessions in acceptance order, room settings and storage.</summary>
/// <param name="Sessions">Open sessions in acceptance order.</param>
/// <param name="AutoResponse">The auto-response pair, if any.</param>
/// <param name="NextOrdinal">The ordinal the next accepted session gets.</param>
/// <param name="Storage">The room's key-value storage (absent in snapshots written before storage existed).</param>
/// <param name="Alarm">When the room's alarm is due, if set.</param>
/// <param name="HibernatedBy">
/// The run of the node (<see cref="Hibernation.HibernationCounters.RunId"/>) that wrote this snapshot as the room
/// hibernated; absent from every other snapshot (and from those written before it existed).
/// </param>
public sealed record RoomSnapshot(
    IReadOnlyList<Session> Sessions,
    AutoResponsePair? AutoResponse,
    long NextOrdinal,
    IReadOnlyDictionary<string, JsonElement>? Storage = null,
    DateTimeOffset? Alarm = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? HibernatedBy = null)
    : IJournalPayload;
