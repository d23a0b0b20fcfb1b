using System.Text;
using System.Text.Json;
using Akka.Actor;
using Akka.Serialization;
using AkkaHibernation.Actors.Rooms;
using AkkaHibernation.Actors.Serialization;
using AkkaHibernation.Ids;
using AkkaHibernation.Tests.Support;
using Microsoft.Data.Sqlite;
using Xunit;
using Xunit.Abstractions;
using static AkkaHibernation.Actors.Hibernation.AlarmIndex;
using static AkkaHibernation.Actors.Rooms.RoomEvents;
using static AkkaHibernation.Tests.Support.TestIds;

namespace AkkaHibernation.Tests.Actors;

/// <summary>Journal payloads are plain JSON with versioned manifests, and the HOCON binding picks this serializer.</summary>
public sealed class JournalSerializerSpecs(ITestOutputHelper output) : PersistenceSpec(output)
{
    private static readonly DateTimeOffset At = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    public static TheoryData<object, string> Payloads => new()
    {
        { new SessionOpened(Id("c1"), At, ["a", "b"]), "SessionOpened.v1" },
        { new SessionOpened(Id("c1"), At, [], new EdgeAddress("akka.tcp://akka-hibernation@127.0.0.1:4053/user/edge#42")), "SessionOpened.v1" },
        { new AttachmentChanged(Id("c1"), JsonDocument.Parse("""{"id":"42"}""").RootElement.Clone()), "AttachmentChanged.v1" },
        { new SessionClosed(Id("c1"), 1006, "gone", false), "SessionClosed.v1" },
        { new AutoResponseChanged(new AutoResponsePair("ping", "pong")), "AutoResponseChanged.v1" },
        { new RoomSnapshot([new Session(Id("c1"), 0, At, null, [])], null, 1), "RoomSnapshot.v1" },
        { new AlarmIndexed(Room("chat:lobby"), At), "AlarmIndexed.v1" },
        { new AlarmIndexSnapshot(new Dictionary<RoomKey, DateTimeOffset> { [Room("foo")] = At }), "AlarmIndexSnapshot.v1" },
    };

    [Fact]
    public void The_alarm_index_row_of_the_journal_written_before_typed_keys_reads_as_before()
    {
        // The fixture journal (Fixtures/README.md) holds chat:lobby's alarm, written when keys were plain strings.
        var fixture = Path.Combine(Script.RepositoryRoot, "test", "AkkaHibernation.Tests", "Fixtures", "journal-2026-12-01.db");
        using var connection = new SqliteConnection($"Data Source={fixture};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var query = connection.CreateCommand();
        query.CommandText = "select message, manifest from journal where persistence_id = 'alarm-index'";
        using var row = query.ExecuteReader();
        Assert.True(row.Read(), "the fixture holds an alarm-index row");
        var serializer = new JournalSerializer((ExtendedActorSystem)Sys);

        var indexed = (AlarmIndexed)serializer.FromBinary((byte[])row["message"], row.GetString(1));

        Assert.Equal(new AlarmIndexed(Room("chat:lobby"), new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero)), indexed);
        Assert.Equal("""{"roomName":"chat:lobby","at":"2026-12-02T00:00:00+00:00"}""", Encoding.UTF8.GetString(serializer.ToBinary(indexed)));
    }

    [Theory]
    [MemberData(nameof(Payloads))]
    public void Every_payload_round_trips_through_the_bound_serializer(object payload, string manifest)
    {
        var serializer = (SerializerWithStringManifest)Sys.Serialization.FindSerializerFor(payload);

        Assert.IsType<JournalSerializer>(serializer);
        Assert.Equal(manifest, serializer.Manifest(payload));
        var bytes = serializer.ToBinary(payload);
        var back = serializer.FromBinary(bytes, manifest);
        Assert.Equal(JsonSerializer.Serialize(payload, JournalSerializer.JsonOptions), JsonSerializer.Serialize(back, JournalSerializer.JsonOptions));
    }

    [Fact]
    public void Rows_are_readable_camelCase_JSON()
    {
        var serializer = new JournalSerializer((ExtendedActorSystem)Sys);
        var json = Encoding.UTF8.GetString(serializer.ToBinary(new SessionClosed(Id("c1"), 4000, "bye", true)));

        Assert.Equal("""{"connectionId":"c1","code":4000,"reason":"bye","wasClean":true}""", json);
    }

    [Fact]
    public void A_single_node_session_is_written_as_before_cluster_mode_and_a_clustered_one_names_its_edge()
    {
        var serializer = new JournalSerializer((ExtendedActorSystem)Sys);

        var single = Encoding.UTF8.GetString(serializer.ToBinary(new SessionOpened(Id("c1"), At, [])));
        var clustered = Encoding.UTF8.GetString(serializer.ToBinary(new SessionOpened(Id("c1"), At, [], new EdgeAddress("akka.tcp://akka-hibernation@127.0.0.1:4053/user/edge#42"))));

        Assert.Equal("""{"connectionId":"c1","openedAt":"2026-11-27T12:00:00+00:00","tags":[]}""", single);
        Assert.Equal("""{"connectionId":"c1","openedAt":"2026-11-27T12:00:00+00:00","tags":[],"edge":"akka.tcp://akka-hibernation@127.0.0.1:4053/user/edge#42"}""", clustered);
    }

    [Fact]
    public void An_unknown_manifest_is_a_clear_error()
    {
        var serializer = new JournalSerializer((ExtendedActorSystem)Sys);
        var error = Assert.Throws<System.Runtime.Serialization.SerializationException>(() => serializer.FromBinary([], "SessionOpened.v9"));
        Assert.Equal("Unknown journal manifest 'SessionOpened.v9'", error.Message);
    }
}
