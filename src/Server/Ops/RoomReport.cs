using System.Text.Json;
using System.Text.Json.Serialization;
using AkkaHibernation.Ids;

namespace AkkaHibernation.Server.Ops;

/// <summary>One room as the journal holds it, for <c>journal rooms</c> and <c>journal room</c>.</summary>
/// <param name="Room">The room (its key: the name, or <c>type:name</c>); <c>name</c> in JSON, as scripts read it.</param>
/// <param name="State">"sessions" when the journal lists open sessions, "empty" otherwise.</param>
/// <param name="Sessions">Sessions the journal holds as open (sockets of a stopped server are closed on the next wake).</param>
/// <param name="LastSequenceNr">The room's highest event sequence number.</param>
/// <param name="SnapshotSequenceNr">The sequence number of its snapshot, or null.</param>
/// <param name="SnapshotAt">When that snapshot was taken, or null.</param>
/// <param name="JournalRows">Event rows still in the journal (not covered by the snapshot).</param>
/// <param name="AutoResponse">The auto-response pair as "request -> response", or null.</param>
public sealed record RoomReport(
    [property: JsonPropertyName("name")] RoomKey Room,
    string State,
    int Sessions,
    long LastSequenceNr,
    long? SnapshotSequenceNr,
    DateTimeOffset? SnapshotAt,
    long JournalRows,
    string? AutoResponse);

/// <summary>One session of a room, for <c>journal room</c>.</summary>
public sealed record SessionReport(ConnectionId ConnectionId, DateTimeOffset OpenedAt, IReadOnlyList<string> Tags, JsonElement? Attachment);

/// <summary>A room with its sessions and the keys of its storage.</summary>
public sealed record RoomDetail(RoomReport Room, IReadOnlyList<SessionReport> Sessions, IReadOnlyList<string> StorageKeys);

/// <summary>One journal event, for <c>journal events</c>.</summary>
public sealed record EventReport(long SequenceNr, DateTimeOffset Timestamp, string Type, JsonElement Event);

/// <summary>A row that does not replay, for <c>journal verify</c>.</summary>
public sealed record VerifyProblem(string PersistenceId, long SequenceNr, string Problem);
