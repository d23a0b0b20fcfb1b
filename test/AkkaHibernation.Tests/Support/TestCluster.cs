using Akka.Cluster;
using AkkaHibernation.Server.Node;
using Xunit;
using Xunit.Abstractions;

namespace AkkaHibernation.Tests.Support;

/// <summary>
/// Several real nodes in the test process (each with its HttpListener on a loopback port), joined into one cluster
/// over loopback remoting and sharing one PostgreSQL database. A node can be killed: its actor system stops without
/// leaving the cluster, as in a crash, and its sockets go with it.
/// </summary>
public sealed class TestCluster : IAsyncDisposable
{
    private readonly List<TestNode> _nodes;
    private readonly HashSet<TestNode> _stopped = [];

    private TestCluster(List<TestNode> nodes) => _nodes = nodes;

    public IReadOnlyList<TestNode> Nodes => _nodes;

    public IEnumerable<TestNode> Running => _nodes.Where(node => !_stopped.Contains(node));

    public static Task<TestCluster> StartAsync(
        int size, string connectionString, ITestOutputHelper output, string idleTimeout, params string[] hocon) =>
        StartWithRoomsAsync(size, connectionString, output, idleTimeout, HostedRooms.Seed, hocon);

    /// <summary>A cluster whose every node runs <paramref name="rooms"/>.</summary>
    public static async Task<TestCluster> StartWithRoomsAsync(
        int size, string connectionString, ITestOutputHelper output, string idleTimeout, HostedRooms rooms, params string[] hocon)
    {
        string[] common =
        [
            "akka-hibernation.cluster.enabled = on",
            "akka-hibernation.cluster.port = 0",
            // A test kills a node by terminating its actor system: that must not run the graceful leave.
            "akka.coordinated-shutdown.run-by-actor-system-terminate = off",
            .. hocon,
        ];
        var first = await TestNode.StartOnPostgresAsync(connectionString, output, idleTimeout, rooms, common);
        var nodes = new List<TestNode> { first };
        var seed = Akka.Cluster.Cluster.Get(first.Node.System).SelfAddress.ToString();
        for (var i = 1; i < size; i++)
            nodes.Add(await TestNode.StartOnPostgresAsync(connectionString, output, idleTimeout, rooms, [.. common, $"akka-hibernation.cluster.seed-nodes = [\"{seed}\"]"]));
        var cluster = new TestCluster(nodes);
        await cluster.MembersUpAsync(size);
        return cluster;
    }

    /// <summary>Waits until every running node sees <paramref name="count"/> members Up.</summary>
    public Task MembersUpAsync(int count, TimeSpan? timeout = null) => Eventually.TrueAsync(
        () => Running.Select(node => Akka.Cluster.Cluster.Get(node.Node.System).State)
            .All(state => state.Members.Count(m => m.Status == MemberStatus.Up) == count && state.Unreachable.Count == 0),
        $"{count} members Up on every node", timeout ?? TimeSpan.FromSeconds(30));

    /// <summary>The one running node where a room is resident (its monitor counts it just after the room recovers).</summary>
    public async Task<TestNode> HostOfTheOnlyRoomAsync()
    {
        await Eventually.TrueAsync(() => Running.Count(node => node.Node.RoomCounters.Resident > 0) == 1, "the room resident on one node");
        return Assert.Single(Running, node => node.Node.RoomCounters.Resident > 0);
    }

    /// <summary>A crash: the node's actor system stops without leaving, then its listener and sockets go.</summary>
    public async Task KillAsync(TestNode node)
    {
        _stopped.Add(node);
        await node.Node.System.Terminate();
        await node.DisposeAsync();
    }

    /// <summary>A graceful stop (what SIGTERM does): sockets closed with 1001, rooms handed off, the node leaves.</summary>
    public async Task StopAsync(TestNode node)
    {
        _stopped.Add(node);
        await node.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Running.Reverse().ToList())
            await StopAsync(node);
    }
}
