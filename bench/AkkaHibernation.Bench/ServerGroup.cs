using System.Text.Json;

namespace AkkaHibernation.Bench;

/// <summary>
/// The servers a scenario drives: one, or a cluster of host processes in cluster mode on one PostgreSQL database,
/// with clients spread over them in turn (client i on node i mod N). Disposing stops them, the last started first.
/// </summary>
public sealed class ServerGroup : IAsyncDisposable
{
    private ServerGroup(IReadOnlyList<ServerProcess> servers) => Servers = servers;

    public IReadOnlyList<ServerProcess> Servers { get; }

    /// <summary>Where client <paramref name="client"/> connects: room "foo" on its node.</summary>
    public Uri DefaultRoomFor(int client) => Servers[client % Servers.Count].DefaultRoom;

    /// <summary>What the servers are, for the summary: the target's name, or the cluster's size.</summary>
    public string Describe(Target target) => Servers.Count == 1 ? target.Name() : $"a cluster of {Servers.Count} hosts";

    /// <summary>
    /// Starts <paramref name="command"/> once or, with a <paramref name="cluster"/>, once per node with cluster mode on,
    /// a remoting port each, node 1 as the seed, and the journal in the cluster's PostgreSQL database.
    /// </summary>
    public static async Task<ServerGroup> StartAsync(ServerCommand command, Cluster? cluster = null)
    {
        if (cluster is null)
            return new ServerGroup([await ServerProcess.StartAsync(command)]);
        var ports = Enumerable.Range(0, cluster.Nodes).Select(_ => FreePort.Find()).ToArray();
        var seed = JsonSerializer.Serialize($"akka.tcp://akka-hibernation@127.0.0.1:{ports[0]}");
        var servers = new List<ServerProcess>();
        try
        {
            foreach (var port in ports)
            {
                servers.Add(await ServerProcess.StartAsync(command.WithHocon(
                    "akka-hibernation.cluster.enabled = on",
                    $"akka-hibernation.cluster.port = {port}",
                    $"akka-hibernation.cluster.seed-nodes = [{seed}]",
                    "akka-hibernation.journal.provider = postgresql",
                    $"akka-hibernation.journal.postgresql.connection-string = {JsonSerializer.Serialize(cluster.Postgres)}")));
            }
        }
        catch
        {
            await new ServerGroup(servers).DisposeAsync();
            throw;
        }
        return new ServerGroup(servers);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in Servers.Reverse())
            await server.DisposeAsync();
    }

    /// <summary>Cluster mode: <paramref name="Nodes"/> host processes sharing the PostgreSQL database <paramref name="Postgres"/>.</summary>
    public sealed record Cluster(int Nodes, string Postgres);
}
