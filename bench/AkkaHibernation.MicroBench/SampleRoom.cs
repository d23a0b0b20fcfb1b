using System.Collections.Immutable;
using System.Text.Json;
using AkkaHibernation.Actors.Rooms;
using AkkaHibernation.Actors.Serialization;
using AkkaHibernation.Ids;

namespace AkkaHibernation.MicroBench;

/// <summary>Journal payloads shaped like the seed room's: sessions with a <c>{ id }</c> attachment and no tags.</summary>
public static class SampleRoom
{
    private static readonly DateTimeOffset OpenedAt = new(2026, 11, 27, 7, 0, 0, TimeSpan.Zero);

    public static ConnectionId ConnectionId(int index) => new($"c{index:D6}-{Guid.NewGuid():N}");

    public static JsonElement Attachment() =>
        JsonSerializer.SerializeToElement(new { id = Guid.NewGuid().ToString() }, JournalSerializer.JsonOptions);

    /// <summary>A snapshot of a room with <paramref name="sessions"/> open sessions and the ping/pong auto-response.</summary>
    public static RoomSnapshot Snapshot(int sessions) => new(
        Enumerable.Range(0, sessions)
            .Select(i => new Session(ConnectionId(i), i, OpenedAt.AddMilliseconds(i), Attachment(), ImmutableArray<string>.Empty))
            .ToList(),
        new AutoResponsePair("ping", "pong"),
        sessions);

    public static RoomEvents.SessionOpened SessionOpened() => new(ConnectionId(0), OpenedAt, ImmutableArray<string>.Empty);

    public static RoomEvents.AttachmentChanged AttachmentChanged() => new(ConnectionId(0), Attachment());
}
