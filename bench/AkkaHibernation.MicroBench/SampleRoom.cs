using System.Collections.Immutable;
using System.Text.Json;
using Akka.Actor;
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

    /// <summary>
    /// Connects sessions <c>conn-0</c> … <c>conn-{N-1}</c> to <paramref name="room"/> through <paramref name="target"/>
    /// (the room or its manager), each a <see cref="CountingChannel"/> known to <paramref name="registry"/>.
    /// </summary>
    public static void Connect(IActorRef target, RoomKey room, int sessions, CountingRegistry registry, FrameCountdown countdown, TimeSpan timeout)
    {
        var headers = new Dictionary<string, string>();
        for (var i = 0; i < sessions; i++)
        {
            var connectionId = $"conn-{i}";
            registry.Add(new CountingChannel(connectionId, room, countdown));
            var reply = target.Ask(new RoomProtocol.Connect(new ConnectRequest(room, new ConnectionId(connectionId), "/websocket", headers)), timeout).Result;
            if (reply is not RoomProtocol.Accepted)
                throw new InvalidOperationException($"Room refused {connectionId}: {reply}");
        }
    }

    public static RoomEvents.SessionOpened SessionOpened() => new(ConnectionId(0), OpenedAt, ImmutableArray<string>.Empty);

    public static RoomEvents.AttachmentChanged AttachmentChanged() => new(ConnectionId(0), Attachment());
}
