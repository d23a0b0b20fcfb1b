using AkkaHibernation.Actors.Serialization;

namespace AkkaHibernation.Actors.Rooms;

/// <summary>The stored form of a <see cref="RoomState"/>: sessions in acceptance order plus room settings.</summary>
public sealed record RoomSnapshot(IReadOnlyList<Session> Sessions, AutoResponsePair? AutoResponse, long NextOrdinal)
    : IJournalPayload;
