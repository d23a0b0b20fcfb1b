using AkkaHibernation.Tests.Support;
using Xunit;
using Xunit.Abstractions;
using static AkkaHibernation.Tests.Support.Seed;

namespace AkkaHibernation.Tests.Cluster;

/// <summary>
/// Cluster mode on one node (it joins itself): the same rooms run as sharded entities, hibernate through their
/// shard and wake with their sessions, so one code path serves one node and many.
/// </summary>
public sealed class SingleNodeClusterSpecs(ITestOutputHelper output)
    : NodeSpec(output, "300ms", "akka-hibernation.cluster.enabled = on", "akka-hibernation.cluster.port = 0")
{
    [Fact]
    public async Task A_sharded_room_hibernates_and_wakes_with_the_same_sessions()
    {
        var a = await Connect();
        var b = await Connect();
        var idA = await IdentifyAsync(a, "a");
        await b.ReceiveAsync(2);
        var idB = await IdentifyAsync(b, "b");
        await a.ReceiveAsync(2);
        await Eventually.TrueAsync(() => Node.Node.RoomCounters.Resident == 0 && Node.Node.RoomCounters.Hibernations > 0, "the room hibernated");
        var wakes = Node.Node.RoomCounters.Wakes;

        await b.SendAsync("good morning");

        Assert.Equal([Line("good morning", idB, Sender, 2), Line("good morning", idB, All, 2)], await b.ReceiveAsync(2));
        Assert.Equal([Line("good morning", idB, All, 2), Line("good morning", idB, Others, 2)], await a.ReceiveAsync(2));
        // In cluster mode the node's monitor counts a wake when the room reports its recovery, just after it answers.
        await Eventually.TrueAsync(() => Node.Node.RoomCounters.Wakes == wakes + 1, "one wake counted");
        Assert.NotEqual(idA, idB);
    }
}
