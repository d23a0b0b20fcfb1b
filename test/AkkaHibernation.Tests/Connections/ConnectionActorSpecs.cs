using Akka.Actor;
using AkkaHibernation.Actors.Behaviours;
using AkkaHibernation.Actors.Connections;
using AkkaHibernation.Actors.Rooms;
using AkkaHibernation.Actors.Sessions;
using AkkaHibernation.Ids;
using AkkaHibernation.Tests.Support;
using Xunit;
using Xunit.Abstractions;
using static AkkaHibernation.Actors.Connections.ConnectionProtocol;
using static AkkaHibernation.Tests.Support.TestIds;

namespace AkkaHibernation.Tests.Connections;

/// <summary>One connection actor on its own, its room played by the spec: commands, close, numbering, retiring.</summary>
public sealed class ConnectionActorSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output)
{
    private IActorRef StartConnection(string connectionId = "c1") =>
        ChildActorOf(ConnectionActor.Props(new RecordingChannel(connectionId, TestActor)), connectionId);

    private static ChannelCommand Text(string text) => new ChannelCommand.Deliver(OutboundFrame.Text(text));

    private static RoomProtocol.Inbound Numbered(long seq) => new(Room("room"), Id("c1"), RoomMessage.FromText($"m{seq}"), seq, AckedUpTo: 0);

    [Fact]
    public void It_carries_the_rooms_commands_out_on_its_socket_in_the_order_issued()
    {
        var connection = StartConnection();

        connection.Tell(Text("one"));
        connection.Tell(new Commands([Text("two"), new ChannelCommand.UseAutoResponse(new AutoResponsePair("ping", "pong")),
            new ChannelCommand.Acknowledge(7), Text("three"), new ChannelCommand.Close(4000, "done")]));

        ExpectMsg(new ChannelCall.Sent("c1", "one"));
        ExpectMsg(new ChannelCall.Sent("c1", "two"));
        ExpectMsg(new ChannelCall.AutoResponseSet("c1", new AutoResponsePair("ping", "pong")));
        ExpectMsg(new ChannelCall.Acknowledged("c1", 7));
        ExpectMsg(new ChannelCall.Sent("c1", "three"));
        ExpectMsg(new ChannelCall.Closed("c1", 4000, "done"));
    }

    [Fact]
    public void Release_lets_the_transport_forget_the_socket_and_stops_the_connection()
    {
        var connection = StartConnection();
        Watch(connection);

        connection.Tell(new Commands([new ChannelCommand.Close(1000, "bye"), ChannelCommand.Release.Instance]));

        ExpectMsg(new ChannelCall.Closed("c1", 1000, "bye"));
        ExpectMsg(new ChannelCall.Released("c1"));
        ExpectTerminated(connection);
    }

    [Fact]
    public void Numbered_messages_come_back_in_send_order_once_each_and_a_held_one_confirms_nothing()
    {
        var connection = StartConnection();

        connection.Tell(Numbered(2));
        var held = ExpectMsg<InOrder>();
        connection.Tell(Numbered(1));
        var released = ExpectMsg<InOrder>();
        connection.Tell(Numbered(1));
        var copy = ExpectMsg<InOrder>();

        Assert.Empty(held.Messages);
        Assert.Null(held.ConfirmUpTo);
        Assert.Equal(["m1", "m2"], released.Messages.Select(message => message.Text));
        Assert.Equal(2, released.ConfirmUpTo);
        Assert.Empty(copy.Messages);
        Assert.Equal(2, copy.ConfirmUpTo);
    }

    [Fact]
    public void A_close_hands_back_the_messages_held_for_one_that_can_no_longer_arrive_then_the_close()
    {
        var connection = StartConnection();
        connection.Tell(Numbered(3));
        connection.Tell(Numbered(2));
        ExpectMsg<InOrder>();
        ExpectMsg<InOrder>();

        connection.Tell(new Closing(1006, "gone", false));

        var ended = ExpectMsg<Ended>();
        Assert.Equal(["m2", "m3"], ended.Held.Select(message => message.Text));
        Assert.Equal((Id("c1"), 1006, "gone", false), (ended.ConnectionId, ended.Code, ended.Reason, ended.WasClean));
    }

    [Fact]
    public void Retiring_stops_after_the_commands_queued_before_it_without_closing_the_socket()
    {
        var connection = StartConnection();
        Watch(connection);

        connection.Tell(Text("last"));
        connection.Tell(Retire.Instance);

        ExpectMsg(new ChannelCall.Sent("c1", "last"));
        ExpectTerminated(connection);
        ExpectNoMsg(TimeSpan.FromMilliseconds(200)); // no close, no release: the socket stays open in the transport
    }
}
