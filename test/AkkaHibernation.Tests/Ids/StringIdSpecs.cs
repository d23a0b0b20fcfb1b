using System.Text.Json;
using AkkaHibernation.Actors.Serialization;
using AkkaHibernation.Ids;
using Xunit;

namespace AkkaHibernation.Tests.Ids;

/// <summary>The typed ids: validated in one place, and stored as the plain strings they were before.</summary>
public sealed class StringIdSpecs
{
    [Theory]
    [InlineData("c1")]
    [InlineData("0b6f4c525a434f0e9d3c3f1d0b2a9c11")]
    [InlineData("conn-7_b")]
    public void A_connection_id_takes_what_the_transport_and_old_journals_hold(string value) =>
        Assert.Equal(value, new ConnectionId(value).Value);

    [Theory]
    [InlineData("", "1 to 64 characters")]
    [InlineData("a/b", "only letters, digits")]
    [InlineData("$c1", "only letters, digits")]
    [InlineData("c 1", "only letters, digits")]
    public void A_connection_id_that_could_not_name_an_actor_is_refused_with_why(string value, string why) =>
        Assert.Contains(why, Assert.Throws<FormatException>(() => new ConnectionId(value)).Message);

    [Fact]
    public void A_connection_id_longer_than_the_limit_is_refused() =>
        Assert.Throws<FormatException>(() => new ConnectionId(new string('a', ConnectionId.MaxLength + 1)));

    [Fact]
    public void Ids_are_written_as_plain_strings_as_values_and_as_dictionary_keys()
    {
        var edge = new EdgeAddress("akka.tcp://akka-hibernation@127.0.0.1:4053/user/edge#42");
        var value = new { id = new ConnectionId("c1"), edge = (EdgeAddress?)edge, byId = new Dictionary<ConnectionId, int> { [new("c2")] = 2 } };

        var json = JsonSerializer.Serialize(value, JournalSerializer.JsonOptions);

        Assert.Equal("""{"id":"c1","edge":"akka.tcp://akka-hibernation@127.0.0.1:4053/user/edge#42","byId":{"c2":2}}""", json);
        Assert.Equal(2, JsonSerializer.Deserialize<Dictionary<ConnectionId, int>>("""{"c2":2}""")![new ConnectionId("c2")]);
        Assert.Equal(edge, JsonSerializer.Deserialize<EdgeAddress>("\"akka.tcp://akka-hibernation@127.0.0.1:4053/user/edge#42\""));
    }

    [Fact]
    public void A_stored_id_that_is_not_valid_fails_the_read_with_why() =>
        Assert.Contains("connection id", Assert.Throws<FormatException>(() => JsonSerializer.Deserialize<ConnectionId>("\"a/b\"")).Message);

    [Fact]
    public void An_edge_address_must_be_an_actor_path_with_its_uid() =>
        Assert.Contains("actor path", Assert.Throws<FormatException>(() => new EdgeAddress("edge-path")).Message);

    [Theory]
    [InlineData("lobby", null, "lobby")]
    [InlineData("chat:lobby", "chat", "lobby")]
    [InlineData("a.b-c_D9", null, "a.b-c_D9")]
    public void A_room_key_is_the_plain_name_for_the_default_type_and_type_colon_name_otherwise(string value, string? type, string name)
    {
        var key = RoomKey.Parse(value);

        Assert.Equal((type, name, value, "room-" + value), (key.Type, key.Name, key.Value, key.PersistenceId));
        Assert.Equal(key, new RoomKey(type, name));
    }

    [Theory]
    [InlineData("Chat:lobby", "Room type may contain only lower-case letters")]
    [InlineData("chat:lob by", "Room name may contain only letters")]
    [InlineData("chat:", "Room name must not be empty")]
    [InlineData(":lobby", "Room type must not be empty")]
    [InlineData("chat:a:b", "Room name may contain only letters")]
    [InlineData("", "Room name must not be empty")]
    public void A_room_key_with_an_invalid_type_or_name_is_refused_with_why(string value, string why)
    {
        Assert.Contains(why, Assert.Throws<FormatException>(() => RoomKey.Parse(value)).Message);
        Assert.False(RoomKey.TryParse(value, out _, out var error));
        Assert.Contains(why, error);
    }

    [Fact]
    public void A_room_key_is_written_as_its_plain_string_and_an_invalid_stored_key_fails_the_read()
    {
        var alarms = new Dictionary<RoomKey, int> { [RoomKey.Parse("chat:lobby")] = 1, [RoomKey.Default] = 2 };

        var json = JsonSerializer.Serialize(alarms, JournalSerializer.JsonOptions);

        Assert.Equal("""{"chat:lobby":1,"foo":2}""", json);
        Assert.Equal(alarms, JsonSerializer.Deserialize<Dictionary<RoomKey, int>>(json));
        Assert.Throws<FormatException>(() => JsonSerializer.Deserialize<RoomKey>("\"bad name\""));
    }
}
