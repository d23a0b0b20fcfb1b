using AkkaHibernation.Tests.Support;
using Xunit;
using Xunit.Abstractions;
using static AkkaHibernation.Tests.Support.Seed;

namespace AkkaHibernation.Tests.EndToEnd;

/// <summary>Clients that stop reading or vanish without a FIN: bounded queues, heartbeats, and rooms that carry on.</summary>
public sealed class SlowAndDeadPeerSpecs(ITestOutputHelper output) : NodeSpec(output, "300ms",
    "akka-hibernation.transport.outbound-queue-frames = 16",
    "akka-hibernation.transport.heartbeat-interval = 200ms",
    "akka-hibernation.transport.heartbeat-timeout = 400ms")
{
    [Fact]
    public async Task A_client_that_stops_reading_is_closed_with_1008_and_the_room_carries_on()
    {
        await using var slow = await RawClient.ConnectAsync(Node.Port);
        await slow.UpgradeAsync(Node.Port, "/rooms/slow");
        var chatty = await Connect("/rooms/slow");
        var big = new string('x', 60_000);
        // It still writes (pings), so it is slow, not dead: the heartbeat must not be what drops it.
        using var stop = new CancellationTokenSource();
        var alive = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await slow.SendFrameAsync(0x9, []);
                await Task.Delay(50);
            }
        });

        // Each message sends the slow client ~120 KB; its socket buffers fill, then its 16-frame queue.
        var sent = 0;
        while (Node.Node.TransportCounters.SlowConsumersClosed == 0 && sent < 400)
        {
            await chatty.SendAsync($"{sent++}:{big}");
            await chatty.ReceiveAsync(2);
        }

        await stop.CancelAsync();
        await alive.ContinueWith(_ => { }, TaskScheduler.Default); // its socket may be gone by now
        Assert.Equal(1, Node.Node.TransportCounters.SlowConsumersClosed);
        Assert.Equal(0, Node.Node.TransportCounters.DeadPeers);
        await Eventually.TrueAsync(() => Node.Node.Registry.Count == 1, "the slow consumer released by its room");
        await chatty.SendAsync("still chatting");
        var echo = await chatty.ReceiveAsync();
        Assert.Equal(Line("still chatting", SessionIdOf(echo), Sender, 1), echo);
    }

    [Fact]
    public async Task A_peer_that_never_answers_pings_is_dropped_as_1006_while_live_clients_stay()
    {
        var live = await Connect("/rooms/heartbeat");
        await using var dead = await RawClient.ConnectAsync(Node.Port);
        await dead.UpgradeAsync(Node.Port, "/rooms/heartbeat");

        // The raw client reads (so its buffers never fill) but never answers a ping: a half-open peer.
        Assert.True(await dead.ServerClosedConnectionAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(1, Node.Node.TransportCounters.DeadPeers);

        await live.SendAsync("who is left");
        var echo = await live.ReceiveAsync();
        Assert.Equal(Line("who is left", SessionIdOf(echo), Sender, 1), echo);
    }

    [Fact]
    public async Task Heartbeats_keep_answering_clients_open_without_waking_their_hibernated_room()
    {
        var client = await Connect("/rooms/quiet");
        var id = await IdentifyAsync(client);
        await Eventually.TrueAsync(() => Node.Node.RoomCounters.Resident == 0, "the room hibernated");
        var wakes = Node.Node.RoomCounters.Wakes;
        var pings = Node.Node.TransportCounters.HeartbeatPings;

        await Eventually.TrueAsync(() => Node.Node.TransportCounters.HeartbeatPings >= pings + 3, "three heartbeat pings");

        Assert.Equal(wakes, Node.Node.RoomCounters.Wakes);
        Assert.Equal(0, Node.Node.TransportCounters.DeadPeers);
        await client.SendAsync("awake");
        Assert.Equal(Line("awake", id, Sender, 1), await client.ReceiveAsync());
    }
}
