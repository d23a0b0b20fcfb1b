using System.Text;
using Akka.Actor;
using Akka.Serialization;
using AkkaHibernation.Actors.Behaviours;
using AkkaHibernation.Actors.Rooms;
using AkkaHibernation.Actors.Serialization;
using AkkaHibernation.Actors.Sessions;
using AkkaHibernation.Ids;
using AkkaHibernation.Tests.Support;
using CsCheck;
using Xunit;
using Xunit.Abstractions;
using static AkkaHibernation.Actors.Cluster.EdgeProtocol;
using static AkkaHibernation.Actors.Hibernation.HibernationProtocol;
using static AkkaHibernation.Actors.Rooms.RoomProtocol;
using static AkkaHibernation.Tests.Support.TestIds;

namespace AkkaHibernation.Tests.Cluster;

/// <summary>What crosses nodes in cluster mode survives the trip: the HOCON binding picks the wire serializer for it.</summary>
public sealed class WireSerializerSpecs(ITestOutputHelper output) : PersistenceSpec(output)
{
    private object RoundTrip(object message)
    {
        var serializer = (SerializerWithStringManifest)Sys.Serialization.FindSerializerFor(message);
        Assert.IsType<WireSerializer>(serializer);
        return serializer.FromBinary(serializer.ToBinary(message), serializer.Manifest(message));
    }

    public static TheoryData<object> Messages => new()
    {
        new Accepted(Id("c1"), new AutoResponsePair("ping", "pong")),
        new Accepted(Id("c1"), null),
        new Rejected(Id("c1"), 503, "Room 'foo' is full"),
        new Wake(Room("chat:lobby")),
        new Closed(Room("foo"), Id("c1"), 1006, "gone", false),
        new AlarmScheduled(Room("foo"), new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero)),
        new AlarmScheduled(Room("foo"), null),
        new Inbound(Room("foo"), Id("c1"), RoomMessage.FromText("numbered"), 7, 5),
    };

    [Theory]
    [MemberData(nameof(Messages))]
    public void Every_plain_message_round_trips(object message) =>
        Assert.Equal(message, RoundTrip(message));

    [Fact]
    public void Room_keys_keep_the_field_names_nodes_of_the_release_before_typed_keys_send()
    {
        var wake = new Wake(Room("chat:lobby"));
        var serializer = (SerializerWithStringManifest)Sys.Serialization.FindSerializerFor(wake);

        Assert.Equal("""{"roomName":"chat:lobby"}""", Encoding.UTF8.GetString(serializer.ToBinary(wake)));
        var connect = (Connect)serializer.FromBinary(
            Encoding.UTF8.GetBytes("""{"request":{"roomKey":"chat:lobby","connectionId":"c1","url":"/parties/chat/lobby","headers":{}}}"""),
            serializer.Manifest(new Connect(new ConnectRequest(Room("foo"), Id("c1"), "/", new Dictionary<string, string>()))));
        Assert.Equal((Room("chat:lobby"), Id("c1")), (connect.Room, connect.Request.ConnectionId));
    }

    [Fact]
    public void A_probe_keeps_its_connection_ids_in_order()
    {
        var back = (ProbeSessions)RoundTrip(new ProbeSessions(Room("foo"), [Id("c2"), Id("c1")]));

        Assert.Equal(Room("foo"), back.Room);
        Assert.Equal([Id("c2"), Id("c1")], back.ConnectionIds);
    }

    /// <summary>The commands a batch applies, socket by socket, in order.</summary>
    private static List<(ConnectionId ConnectionId, ChannelCommand Command)> Applied(EdgeBatch batch) =>
        batch.Items.Select(item => (item.ConnectionId, batch.Commands[item.Command])).ToList();

    private ChannelCommand.Deliver Delivered(OutboundFrame frame) =>
        (ChannelCommand.Deliver)((EdgeBatch)RoundTrip(EdgeBatch.Single(Id("c1"), new ChannelCommand.Deliver(frame)))).Commands[0];

    [Fact]
    public void A_batch_keeps_its_commands_their_order_and_which_socket_gets_which()
    {
        ChannelCommand[] commands =
        [
            new ChannelCommand.Close(4000, "bye"), new ChannelCommand.Acknowledge(9),
            new ChannelCommand.UseAutoResponse(new AutoResponsePair("ping", "pong")), ChannelCommand.Release.Instance,
        ];
        var batch = new EdgeBatch(commands, [new(Id("c1"), 1), new(Id("c2"), 0), new(Id("c1"), 2), new(Id("c1"), 3)]);

        var back = (EdgeBatch)RoundTrip(batch);

        Assert.Equal(Applied(batch), Applied(back));
    }

    [Fact]
    public void Text_and_binary_payloads_keep_every_byte() =>
        Gen.Select(Gen.String, Gen.Byte.Array[0, 300]).Sample((text, bytes) =>
        {
            var inbound = (Inbound)RoundTrip(new Inbound(Room("foo"), Id("c1"), RoomMessage.FromText(text)));
            var binary = (Inbound)RoundTrip(new Inbound(Room("foo"), Id("c1"), RoomMessage.FromBinary(bytes)));
            var frame = Delivered(OutboundFrame.Text(text)).Frame;
            var binaryFrame = Delivered(OutboundFrame.Binary(bytes)).Frame;

            Assert.Equal(text, inbound.Message.Text);
            Assert.False(binary.Message.IsText);
            Assert.Equal(bytes, binary.Message.Data.ToArray());
            Assert.True(frame.IsText);
            Assert.Equal(Encoding.UTF8.GetBytes(text), frame.Payload.ToArray());
            Assert.False(binaryFrame.IsText);
            Assert.Equal(bytes, binaryFrame.Payload.ToArray());
        }, iter: 200);

    [Fact]
    public void An_upgrade_keeps_its_edge_and_case_insensitive_headers()
    {
        var request = new ConnectRequest(Room("chat:lobby"), Id("c1"), "/parties/chat/lobby?name=ann",
            new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Upgrade"] = "websocket" }) { Edge = new EdgeAddress("akka.tcp://akka-hibernation@127.0.0.1:4053/user/edge#42") };

        var back = (Connect)RoundTrip(new Connect(request));

        Assert.Equal((Room("chat:lobby"), Id("c1"), "/parties/chat/lobby?name=ann", (EdgeAddress?)new EdgeAddress("akka.tcp://akka-hibernation@127.0.0.1:4053/user/edge#42")),
            (back.Request.Room, back.Request.ConnectionId, back.Request.Url, back.Request.Edge));
        Assert.Equal("websocket", back.Request.Headers["upgrade"]);
    }

    [Fact]
    public void An_unknown_manifest_is_a_clear_error()
    {
        var serializer = new WireSerializer((ExtendedActorSystem)Sys);
        var error = Assert.Throws<System.Runtime.Serialization.SerializationException>(() => serializer.FromBinary([], "Inbound.v9"));
        Assert.Equal("Unknown wire manifest 'Inbound.v9'", error.Message);
    }
}
