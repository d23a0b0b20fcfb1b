using Akka.TestKit.Xunit2;
using AkkaHibernation.Actors.Cluster;
using AkkaHibernation.Actors.Sessions;
using AkkaHibernation.Ids;
using Xunit;
using Xunit.Abstractions;
using static AkkaHibernation.Actors.Cluster.EdgeProtocol;
using static AkkaHibernation.Tests.Support.TestIds;

namespace AkkaHibernation.Tests.Cluster;

/// <summary>A room turn's commands for other nodes' sockets leave as one batch per node, a shared frame carried once.</summary>
public sealed class EdgeOutboxSpecs(ITestOutputHelper output) : TestKit(output: output)
{
    [Fact]
    public void A_broadcast_to_sockets_on_two_nodes_is_one_batch_per_node_with_the_frame_once_and_each_sockets_order_kept()
    {
        var (east, west) = (CreateTestProbe(), CreateTestProbe());
        var onEast = Enumerable.Range(0, 100).Select(i => new RemoteClientChannel(Id($"e{i}"), east.Ref)).ToList();
        var onWest = new RemoteClientChannel(Id("w0"), west.Ref);
        var broadcast = new ChannelCommand.Deliver(OutboundFrame.Text("to all"));
        var outbox = new EdgeOutbox();

        foreach (var channel in onEast)
            outbox.Add(channel, broadcast);
        outbox.Add(onWest, broadcast);
        outbox.Add(onEast[0], new ChannelCommand.Close(4000, "bye"));
        outbox.Send();

        var eastBatch = east.ExpectMsg<EdgeBatch>();
        Assert.Equal(2, eastBatch.Commands.Count);
        Assert.Same(broadcast, eastBatch.Commands[0]);
        Assert.Equal(101, eastBatch.Items.Count);
        Assert.Equal([new(Id("e0"), 0), new(Id("e0"), 1)], eastBatch.Items.Where(item => item.ConnectionId == Id("e0")));
        var westBatch = west.ExpectMsg<EdgeBatch>();
        Assert.Equal([new EdgeBatch.Item(Id("w0"), 0)], westBatch.Items);
        east.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void Nothing_is_sent_when_nothing_was_added_and_a_sent_outbox_starts_empty()
    {
        var edge = CreateTestProbe();
        var outbox = new EdgeOutbox();

        outbox.Send();
        outbox.Add(new RemoteClientChannel(Id("c1"), edge.Ref), ChannelCommand.Release.Instance);
        outbox.Send();
        outbox.Send();

        Assert.Single(edge.ExpectMsg<EdgeBatch>().Items);
        edge.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }
}
