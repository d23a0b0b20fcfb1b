using System.Collections.Immutable;
using System.Text.Json;
using AkkaHibernation.Actors.Serialization;
using AkkaHibernation.Ids;

namespace AkkaHibernation.Actors.Rooms;

/// <summary>
/// Runs a wake's CPU path, a snapshot row turned into a room's state, on a made-up room a few dozen times when a
/// node starts. .NET first runs a method as quickly compiled code and recompiles it optimized only after it has been
/// called often enough and the process is otherwise quiet; until then every wake pays for the slow version
/// (measured: a 5,000-session snapshot parsed in 33–51 ms before, 11–14 ms once compiled optimized). After a restart
/// every room is asleep, so the first wakes come all at once: this moves that cost before the first client.
/// </summary>
public static class RoomRecoveryWarmup
{
    private const int Rounds = 40;
    private const int Sessions = 64;

    /// <summary>
    /// The made-up room's snapshot: sessions with attachments and tags, an auto-response pair, storage and an alarm,
    /// so every part of the reader runs.
    /// </summary>
    public static RoomSnapshot SampleSnapshot()
    {
        var openedAt = DateTimeOffset.UnixEpoch;
        var sessions = Enumerable.Range(0, Sessions)
            .Select(i => new Session(new ConnectionId($"warmup{i}"), i, openedAt, JsonSerializer.SerializeToElement(new { id = $"session{i}" }), ["tag"]))
            .ToList();
        var storage = new Dictionary<string, JsonElement> { ["key"] = JsonSerializer.SerializeToElement(new { value = 1 }) };
        return new RoomSnapshot(sessions, new AutoResponsePair("ping", "pong"), Sessions, storage, openedAt);
    }

    /// <summary>An event in the shape a room writes most: a session opened.</summary>
    public static RoomEvents.SessionOpened SampleEvent() => new(new ConnectionId($"warmup{Sessions}"), DateTimeOffset.UnixEpoch, ["tag"]);

    /// <summary>Parses and rebuilds the made-up room <c>Rounds</c> times; takes some tens of milliseconds.</summary>
    public static void Run()
    {
        var row = JsonSerializer.SerializeToUtf8Bytes(SampleSnapshot(), JournalSerializer.JsonOptions);
        for (var round = 0; round < Rounds; round++)
        {
            if (!RoomSnapshotReader.TryRead(row, out var snapshot))
                throw new InvalidOperationException("The snapshot reader refused a snapshot in the shape the journal writes");
            var state = RoomState.FromSnapshot(snapshot);
            foreach (var session in state.SessionsInOrder())
                _ = state.Sessions[session.ConnectionId];
        }
    }
}
