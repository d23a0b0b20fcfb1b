using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using AkkaHibernation.Actors.Rooms;
using AkkaHibernation.Actors.Serialization;
using AkkaHibernation.Ids;
using CsCheck;
using Xunit;
using static AkkaHibernation.Tests.Support.TestIds;

namespace AkkaHibernation.Tests.Actors;

/// <summary>
/// The dedicated <c>RoomSnapshot.v1</c> reader must read exactly what the generic System.Text.Json path reads, for
/// every snapshot the serializer can write, and hand anything else back to that path.
/// </summary>
public sealed class RoomSnapshotReaderSpecs
{
    // Quotes, backslashes, control characters, non-ASCII and surrogate pairs: everything JSON escapes.
    private static readonly Gen<string> Text = Gen.String[Gen.Char['\0', '\u00ff'], 0, 12]
        .Select(Gen.Const("é\"\\\n😀"), Gen.Bool, (s, tricky, mix) => mix ? s + tricky : s);

    private static readonly Gen<DateTimeOffset> Time = Gen.Select(Gen.Long[0, 4_000_000_000_000], Gen.Int[-14, 14],
        (ms, hours) => DateTimeOffset.FromUnixTimeMilliseconds(ms).ToOffset(TimeSpan.FromHours(hours)));

    private static readonly Gen<JsonElement> Json = Gen.OneOf(
        Text.Select(s => JsonSerializer.SerializeToElement(s)),
        Gen.Int.Select(i => JsonSerializer.SerializeToElement(i)),
        Gen.Select(Text, Gen.Double[-1e9, 1e9], (name, n) => JsonSerializer.SerializeToElement(new { name, n, list = new[] { 1, 2 } })));

    // Ids are validated, so they are drawn from what a valid id may hold; an edge is an actor path with a uid.
    private static readonly Gen<ConnectionId> ConnectionIds =
        Gen.String[Gen.Char["abcXYZ019-_"], 1, ConnectionId.MaxLength].Select(value => new ConnectionId(value));

    private static readonly Gen<EdgeAddress> Edges = Gen.Select(Gen.Int[1, 65535], Gen.Long,
        (port, uid) => new EdgeAddress($"akka.tcp://akka-hibernation@10.0.0.1:{port}/user/edge#{uid}"));

    private static readonly Gen<Session> Sessions = Gen.Select(ConnectionIds, Gen.Long[0, long.MaxValue], Time,
        Gen.Bool.SelectMany(has => has ? Json.Select(j => (JsonElement?)j) : Gen.Const((JsonElement?)null)),
        Text.Array[0, 3],
        Gen.Bool.SelectMany(clustered => clustered ? Edges.Select(edge => (EdgeAddress?)edge) : Gen.Const((EdgeAddress?)null)),
        (id, ordinal, at, attachment, tags, edge) => new Session(id, ordinal, at, attachment, tags.ToImmutableArray(), edge));

    private static readonly Gen<RoomSnapshot> Snapshots = Gen.Select(
        Sessions.List[0, 6],
        Gen.Bool.SelectMany(has => has ? Gen.Select(Text, Text, (q, a) => (AutoResponsePair?)new AutoResponsePair(q, a)) : Gen.Const((AutoResponsePair?)null)),
        Gen.Long[0, long.MaxValue],
        Gen.Bool.SelectMany(has => has
            ? Gen.Dictionary(Text, Json)[0, 4].Select(d => (IReadOnlyDictionary<string, JsonElement>?)d)
            : Gen.Const((IReadOnlyDictionary<string, JsonElement>?)null)),
        Gen.Bool.SelectMany(has => has ? Time.Select(t => (DateTimeOffset?)t) : Gen.Const((DateTimeOffset?)null)),
        Gen.Bool.Select(hibernating => hibernating ? Guid.NewGuid().ToString("N") : null),
        (sessions, auto, next, storage, alarm, hibernatedBy) => new RoomSnapshot(sessions, auto, next, storage, alarm, hibernatedBy));

    private static string Canonical(RoomSnapshot snapshot) => JsonSerializer.Serialize(snapshot, JournalSerializer.JsonOptions);

    [Fact]
    public void Every_written_snapshot_reads_the_same_as_through_the_generic_path() =>
        Snapshots.Sample(snapshot =>
        {
            var bytes = JsonSerializer.SerializeToUtf8Bytes(snapshot, JournalSerializer.JsonOptions);
            var generic = JsonSerializer.Deserialize<RoomSnapshot>(bytes, JournalSerializer.JsonOptions)!;

            Assert.True(RoomSnapshotReader.TryRead(bytes, out var fast), Encoding.UTF8.GetString(bytes));
            Assert.Equal(Canonical(generic), Canonical(fast));
            Assert.Equal(generic.Sessions.Select(s => s.OpenedAt.Offset), fast.Sessions.Select(s => s.OpenedAt.Offset));
        }, iter: 500);

    [Fact]
    public void The_node_start_warm_up_runs_on_the_fast_path_it_means_to_warm() =>
        // It throws if the reader refuses the shape the journal writes, which would leave the fast path cold.
        RoomRecoveryWarmup.Run();

    [Theory]
    [InlineData("""{"Sessions":[],"AutoResponse":null,"NextOrdinal":0}""")]
    [InlineData("""{"sessions":[],"autoResponse":null,"nextOrdinal":"3"}""")]
    public void A_row_in_another_shape_is_left_to_the_generic_path_which_still_reads_it(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);

        Assert.False(RoomSnapshotReader.TryRead(bytes, out _));
        var read = Assert.IsType<RoomSnapshot>(new JournalSerializer(null!).FromBinary(bytes, "RoomSnapshot.v1"));
        Assert.Empty(read.Sessions);
    }
}
