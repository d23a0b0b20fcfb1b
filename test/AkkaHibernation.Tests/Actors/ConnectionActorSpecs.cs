using Akka.Actor;
using AkkaHibernation.Actors.Rooms;
using AkkaHibernation.Actors.Sessions;
using AkkaHibernation.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace AkkaHibernation.Tests.Actors;

/// <summary>A ConnectionActor passes the room's calls to its channel in order, and stops on release.</summary>
public sealed class ConnectionActorSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output)
{
    [Fact]
    public void Frames_closes_and_auto_responses_reach_the_channel_in_order()
    {
        var channel = new RecordingChannel("c1", TestActor);
        var connection = Sys.ActorOf(ConnectionActor.Props(channel));
        var pair = new AutoResponsePair("ping", "pong");

        connection.Tell(new ConnectionActor.Deliver(OutboundFrame.Text("one")));
        connection.Tell(new ConnectionActor.UseAutoResponse(pair));
        connection.Tell(new ConnectionActor.Deliver(OutboundFrame.Text("two")));
        connection.Tell(new ConnectionActor.Close(4000, "bye"));

        ExpectMsg(new ChannelCall.Sent("c1", "one"));
        ExpectMsg(new ChannelCall.AutoResponseSet("c1", pair));
        ExpectMsg(new ChannelCall.Sent("c1", "two"));
        ExpectMsg(new ChannelCall.Closed("c1", 4000, "bye"));
    }

    [Fact]
    public void Release_lets_the_transport_forget_the_socket_and_stops_the_actor()
    {
        var connection = Sys.ActorOf(ConnectionActor.Props(new RecordingChannel("c2", TestActor)));
        Watch(connection);

        connection.Tell(ConnectionActor.Release.Instance);

        ExpectMsg(new ChannelCall.Released("c2"));
        ExpectTerminated(connection);
    }
}
