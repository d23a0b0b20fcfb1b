using Akka.Actor;
using Akka.TestKit.Xunit2;
using AkkaHibernation.Actors.Cluster;
using AkkaHibernation.Actors.Sessions;
using AkkaHibernation.Ids;
using AkkaHibernation.Tests.Support;
using Xunit;
using Xunit.Abstractions;
using static AkkaHibernation.Actors.Cluster.EdgeProtocol;
using static AkkaHibernation.Actors.Rooms.RoomProtocol;
using static AkkaHibernation.Tests.Support.TestIds;

namespace AkkaHibernation.Tests.Cluster;

/// <summary>The edge actor applies rooms' commands to this node's sockets and answers a waking room's probe.</summary>
public sealed class SocketEdgeSpecs(ITestOutputHelper output) : TestKit(output: output)
{
    private readonly RecordingRegistry _sockets = new();

    [Fact]
    public void Batches_reach_the_socket_in_the_order_sent_and_a_command_for_a_gone_socket_is_dropped()
    {
        var channels = CreateTestProbe();
        _sockets.Add(new RecordingChannel("c1", channels.Ref));
        var edge = Sys.ActorOf(SocketEdge.Props(_sockets));

        var close = new ChannelCommand.Close(4000, "bye");
        edge.Tell(new EdgeBatch([close, new ChannelCommand.Deliver(OutboundFrame.Text("hi"))], [new(Id("gone"), 0), new(Id("c1"), 1)]));
        edge.Tell(EdgeBatch.Single(Id("c1"), new ChannelCommand.Acknowledge(3)));
        edge.Tell(EdgeBatch.Single(Id("c1"), close));

        channels.ExpectMsg(new ChannelCall.Sent("c1", "hi"));
        channels.ExpectMsg(new ChannelCall.Acknowledged("c1", 3));
        channels.ExpectMsg(new ChannelCall.Closed("c1", 4000, "bye"));
        channels.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void A_probe_is_answered_with_a_close_for_each_socket_that_is_gone_or_ended_and_nothing_for_open_ones()
    {
        var channels = CreateTestProbe();
        _sockets.Add(new RecordingChannel("open", channels.Ref));
        _sockets.Add(new RecordingChannel("ended", channels.Ref) { Ended = new ChannelEnd(4001, "left", true) });
        var edge = Sys.ActorOf(SocketEdge.Props(_sockets));

        edge.Tell(new ProbeSessions(Room("foo"), [Id("open"), Id("ended"), Id("gone")]), TestActor);

        ExpectMsg(new Closed(Room("foo"), Id("ended"), 4001, "left", true));
        ExpectMsg(new Closed(Room("foo"), Id("gone"), 1006, "Socket gone while the room slept", false));
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }
}
