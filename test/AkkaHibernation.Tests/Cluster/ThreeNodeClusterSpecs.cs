using System.Diagnostics;
using System.Net.WebSockets;
using AkkaHibernation.Samples.Chat;
using AkkaHibernation.Tests.Support;
using Xunit;
using Xunit.Abstractions;
using static AkkaHibernation.Tests.Support.Seed;

namespace AkkaHibernation.Tests.Cluster;

/// <summary>
/// Three nodes in one process, one PostgreSQL journal, one client per node, all in the seed's room "foo": the room
/// runs on one node and reaches every socket where it is held, wherever the room moves.
/// </summary>
[ProcessLevel]
[Collection(PostgresServer.Collection)]
public sealed class ThreeNodeClusterSpecs(PostgresServer postgres, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Failover = TimeSpan.FromSeconds(40);
    private readonly List<TestClient> _clients = [];
    private TestCluster? _cluster;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var client in _clients)
            await client.DisposeAsync();
        if (_cluster is not null)
            await _cluster.DisposeAsync();
    }

    /// <summary>Starts the cluster, connects one client per node and identifies them in node order.</summary>
    private async Task<(TestCluster Cluster, TestClient[] Clients, string[] Ids)> ThreeClientsOnThreeNodes(string idleTimeout)
    {
        _cluster = await TestCluster.StartAsync(3, await postgres.CreateDatabaseAsync(), output, idleTimeout);
        foreach (var node in _cluster.Nodes)
            _clients.Add(await TestClient.ConnectAsync(node.WebSocket()));
        var clients = _clients.ToArray();
        var ids = new string[clients.Length];
        for (var i = 0; i < clients.Length; i++)
        {
            ids[i] = await IdentifyAsync(clients[i], $"hello from node {i + 1}");
            foreach (var other in clients.Where((_, j) => j != i))
                await other.ReceiveAsync(2);
        }
        return (_cluster, clients, ids);
    }

    private static long Sum(TestCluster cluster, Func<AkkaHibernation.Actors.Hibernation.HibernationCounters, long> counter) =>
        cluster.Running.Sum(node => counter(node.Node.RoomCounters));

    [PostgresFact]
    public async Task Messages_from_sockets_on_three_nodes_reach_one_room_in_order()
    {
        var (_, clients, ids) = await ThreeClientsOnThreeNodes(idleTimeout: "60s");
        const int each = 10;

        await Task.WhenAll(clients.Select(async (client, i) =>
        {
            for (var n = 0; n < each; n++)
                await client.SendAsync($"node{i + 1}-{n}");
        }));

        var seen = new List<string[]>();
        foreach (var client in clients)
        {
            var frames = await client.ReceiveAsync(2 * each * clients.Length, TimeSpan.FromSeconds(30));
            seen.Add(frames.Where(line => line.Contains($"to: {All}.")).ToArray());
        }
        // One room, one order: every client sees the same broadcasts in the same order...
        Assert.All(seen, lines => Assert.Equal(seen[0], lines));
        Assert.Equal(each * clients.Length, seen[0].Length);
        // ...and each sender's messages in the order it sent them, from its own session.
        for (var i = 0; i < clients.Length; i++)
        {
            var from = seen[0].Where(line => line.Contains($"from: {ids[i]},")).ToList();
            Assert.Equal(Enumerable.Range(0, each).Select(n => Line($"node{i + 1}-{n}", ids[i], All, 3)), from);
        }
    }

    [PostgresFact]
    public async Task When_the_rooms_node_dies_the_room_answers_from_another_node_with_its_sessions_and_the_dead_nodes_closed()
    {
        var (cluster, clients, ids) = await ThreeClientsOnThreeNodes(idleTimeout: "60s");
        var host = await cluster.HostOfTheOnlyRoomAsync();
        var dead = cluster.Nodes.ToList().IndexOf(host);
        var (first, second) = (clients.Where((_, i) => i != dead).First(), clients.Where((_, i) => i != dead).Last());
        var (firstId, secondId) = (ids[clients.ToList().IndexOf(first)], ids[clients.ToList().IndexOf(second)]);

        var failover = Stopwatch.StartNew();
        await cluster.KillAsync(host);
        // Sent while the others still route to the dead node: kept by this node until the room confirms it, and sent
        // again once the dead node is removed, when the room starts on a survivor.
        await first.SendAsync("during the failover");
        await cluster.MembersUpAsync(2, Failover);
        var removed = failover.ElapsedMilliseconds;
        await first.SendAsync("still here");

        var echoes = await first.ReceiveAsync(4, Failover);
        output.WriteLine($"Killed node removed after {removed} ms; room answered again {failover.ElapsedMilliseconds} ms after the kill");
        // The redelivered message and the new one may reach the room in either order; it handles each once, in the
        // order the client sent them.
        Assert.Equal(
            [Line("during the failover", firstId, Sender, 2), Line("during the failover", firstId, All, 2),
             Line("still here", firstId, Sender, 2), Line("still here", firstId, All, 2)],
            echoes);
        Assert.Equal(
            [Line("during the failover", firstId, All, 2), Line("during the failover", firstId, Others, 2),
             Line("still here", firstId, All, 2), Line("still here", firstId, Others, 2)],
            await second.ReceiveAsync(4));
        Assert.Equal(WebSocketState.Open, second.State);
        Assert.True(cluster.Running.Sum(node => node.Node.TransportCounters.Redelivered) >= 1, "the message sent during the failover was sent again");
        await second.SendAsync("me too");
        Assert.Equal([Line("me too", secondId, Sender, 2), Line("me too", secondId, All, 2)], await second.ReceiveAsync(2));
        Assert.DoesNotContain(host, cluster.Running);
        Assert.Single(cluster.Running, node => node.Node.RoomCounters.Resident == 1);
    }

    [PostgresFact]
    public async Task A_room_hibernates_and_wakes_across_nodes_losing_nothing_while_auto_responses_never_wake_it()
    {
        var (cluster, clients, ids) = await ThreeClientsOnThreeNodes(idleTimeout: "500ms");
        for (var round = 0; round < 2; round++)
        {
            await Eventually.TrueAsync(() => Sum(cluster, rooms => rooms.Resident) == 0 && Sum(cluster, rooms => rooms.Hibernations) > round,
                "the room hibernated");
            var wakes = Sum(cluster, rooms => rooms.Wakes);
            foreach (var client in clients)
            {
                await client.SendAsync("ping");
                Assert.Equal("pong", await client.ReceiveAsync());
            }
            Assert.Equal(wakes, Sum(cluster, rooms => rooms.Wakes));

            // A burst from a node the room may not have run on wakes it; every message arrives, in order.
            var sender = clients[(round + 1) % clients.Length];
            var senderId = ids[(round + 1) % clients.Length];
            for (var n = 0; n < 5; n++)
                await sender.SendAsync($"wake {round}-{n}");
            var expected = Enumerable.Range(0, 5).SelectMany(n => new[] { Line($"wake {round}-{n}", senderId, Sender, 3), Line($"wake {round}-{n}", senderId, All, 3) });
            Assert.Equal(expected, await sender.ReceiveAsync(10));
            foreach (var other in clients.Where(client => client != sender))
                Assert.Equal(5, (await other.ReceiveAsync(10)).Count(line => line.Contains($"to: {Others}.")));
            // The node's monitor counts a wake when the room reports its recovery, just after it answers.
            await Eventually.TrueAsync(() => Sum(cluster, rooms => rooms.Wakes) == wakes + 1, "one wake counted");
        }
    }

    [PostgresFact]
    public async Task A_sleeping_rooms_alarm_wakes_it_through_the_clusters_alarm_index_wherever_its_socket_is()
    {
        _cluster = await TestCluster.StartWithRoomsAsync(3, await postgres.CreateDatabaseAsync(), output, "200ms",
            ChatHosting.Rooms(new ChatOptions { AnnouncementInterval = TimeSpan.FromSeconds(2) }));
        var alice = await TestClient.ConnectAsync(_cluster.Nodes[2].WebSocket("/parties/chat/lobby?name=alice"));
        _clients.Add(alice);
        Assert.IsType<ChatFrames.Welcome>(ChatFrames.Decode(await alice.ReceiveAsync()));
        Assert.IsType<ChatFrames.Message>(ChatFrames.Decode(await alice.ReceiveAsync(TimeSpan.FromSeconds(10))));

        // The next announcement is 2 s away and the room sleeps after 200 ms: only the alarm index can wake it.
        await Eventually.TrueAsync(() => Sum(_cluster, rooms => rooms.Resident) == 0, "the room hibernated after posting");
        var wakes = Sum(_cluster, rooms => rooms.Wakes);

        var second = Assert.IsType<ChatFrames.Message>(ChatFrames.Decode(await alice.ReceiveAsync(TimeSpan.FromSeconds(10)))).Line;
        Assert.Equal("Daily announcement from #lobby. Messages so far: 1. Be kind.", second.Text);
        await Eventually.TrueAsync(() => Sum(_cluster, rooms => rooms.Wakes) == wakes + 1, "one wake counted");
    }

    [PostgresFact]
    public async Task A_graceful_leave_hands_the_room_off_and_other_nodes_sockets_stay_open()
    {
        var (cluster, clients, ids) = await ThreeClientsOnThreeNodes(idleTimeout: "60s");
        var host = await cluster.HostOfTheOnlyRoomAsync();
        var leaving = cluster.Nodes.ToList().IndexOf(host);
        var staying = Enumerable.Range(0, clients.Length).Where(i => i != leaving).ToArray();

        var handOff = Stopwatch.StartNew();
        await cluster.StopAsync(host);
        output.WriteLine($"The room's node left in {handOff.ElapsedMilliseconds} ms");

        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, (await clients[leaving].ClosedByServerAsync()).Status);
        var (first, second) = (clients[staying[0]], clients[staying[1]]);
        Assert.Equal(WebSocketState.Open, first.State);
        await first.SendAsync("after the hand-off");
        Assert.Equal([Line("after the hand-off", ids[staying[0]], Sender, 2), Line("after the hand-off", ids[staying[0]], All, 2)],
            await first.ReceiveAsync(2, Failover));
        output.WriteLine($"Room answered on another node {handOff.ElapsedMilliseconds} ms after its node began to leave");
        Assert.Equal([Line("after the hand-off", ids[staying[0]], All, 2), Line("after the hand-off", ids[staying[0]], Others, 2)],
            await second.ReceiveAsync(2));
    }
}
