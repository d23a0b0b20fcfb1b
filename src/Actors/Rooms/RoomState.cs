using System.Collections.Immutable;
using System.Text.Json;
using AkkaHibernation.Ids;
using static AkkaHibernation.Actors.Rooms.RoomEvents;

namespace AkkaHibernation.Actors.Rooms;

/// <summary>
/// The pure, immutable state of one room: its session map and its settings. A handler's calls fold each event in at
/// once (so the handler reads its own writes), and the actor persists the events afterwards, before the frames they
/// cause go out; recovery folds the journal's events in the same way. Nothing in this type knows about actors or sockets.
/// </summary>
public sealed record RoomState(
    ImmutableDictionary<ConnectionId, Session> Sessions,
    AutoResponsePair? AutoResponse,
    long NextOrdinal,
    ImmutableSortedDictionary<string, JsonElement> Storage,
    DateTimeOffset? Alarm = null)
{
    /// <summary>A room that has never been used.</summary>
    public static RoomState Empty { get; } = new(
        ImmutableDictionary<ConnectionId, Session>.Empty, null, 0, ImmutableSortedDictionary.Create<string, JsonElement>(StringComparer.Ordinal));

    /// <summary>Folds one event into the state. Events for unknown sessions are ignored, so replay is total.</summary>
    public RoomState Apply(IRoomEvent evt) => evt switch
    {
        SessionOpened e => this with
        {
            Sessions = Sessions.SetItem(e.ConnectionId, new Session(e.ConnectionId, NextOrdinal, e.OpenedAt, null, e.Tags, e.Edge)),
            NextOrdinal = NextOrdinal + 1,
        },
        AttachmentChanged e when Sessions.TryGetValue(e.ConnectionId, out var session) =>
            this with { Sessions = Sessions.SetItem(e.ConnectionId, session with { Attachment = e.Attachment }) },
        AttachmentChanged => this,
        SessionClosed e => this with { Sessions = Sessions.Remove(e.ConnectionId) },
        AutoResponseChanged e => this with { AutoResponse = e.Pair },
        StoragePut e => this with { Storage = Storage.SetItem(e.Key, e.Value) },
        StorageDeleted e => this with { Storage = Storage.Remove(e.Key) },
        AlarmSet e => this with { Alarm = e.At },
        AlarmDeleted => this with { Alarm = null },
        _ => throw new ArgumentOutOfRangeException(nameof(evt), evt.GetType().Name, "Unknown room event"),
    };

    /// <summary>Sessions in the order the room accepted them (a new array).</summary>
    public Session[] SessionsInOrder()
    {
        // Every wake re-attaches its sessions in this order. Sorted by primitive keys, not with OrderBy (a key
        // selector delegate per session, a key buffer and a comparer): OrderBy was a fifth of re-attaching a
        // 1,000-session room in a profile of WakeBenchmarks.
        var sessions = new Session[Sessions.Count];
        var ordinals = new long[sessions.Length];
        var next = 0;
        foreach (var (_, session) in Sessions)
        {
            sessions[next] = session;
            ordinals[next++] = session.Ordinal;
        }
        Array.Sort(ordinals, sessions);
        return sessions;
    }

    /// <summary>The stored form of this state.</summary>
    public RoomSnapshot ToSnapshot() => new(SessionsInOrder(), AutoResponse, NextOrdinal, Storage, Alarm);

    /// <summary>Rebuilds state from its stored form.</summary>
    public static RoomState FromSnapshot(RoomSnapshot snapshot) => new(
        snapshot.Sessions.ToImmutableDictionary(s => s.ConnectionId),
        snapshot.AutoResponse,
        snapshot.NextOrdinal,
        (snapshot.Storage ?? new Dictionary<string, JsonElement>()).ToImmutableSortedDictionary(StringComparer.Ordinal),
        snapshot.Alarm);
}
