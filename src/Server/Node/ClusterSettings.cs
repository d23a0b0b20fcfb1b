using System.Text.Json;
using Akka.Actor;
using Akka.Configuration;

namespace AkkaHibernation.Server.Node;

/// <summary>Cluster mode's settings (<c>akka-hibernation.cluster</c>, see <c>hocon/cluster.hocon</c>).</summary>
/// <param name="Enabled">Rooms run as sharded entities across nodes; off: one node with its hibernation manager.</param>
/// <param name="Hostname">Where this node listens for other nodes.</param>
/// <param name="Port">Its remoting port; 0 picks a free one.</param>
/// <param name="SeedNodes">Nodes to join; empty: this node starts a cluster of its own.</param>
/// <param name="Shards">Shards the rooms are hashed into.</param>
/// <param name="JoinTimeout">How long start-up waits for this node to be Up.</param>
public sealed record ClusterSettings(
    bool Enabled,
    string Hostname,
    int Port,
    IReadOnlyList<string> SeedNodes,
    int Shards,
    TimeSpan JoinTimeout)
{
    /// <summary>Where the settings live.</summary>
    public const string ConfigPath = "akka-hibernation.cluster";

    /// <summary>Reads and checks the settings.</summary>
    public static ClusterSettings FromConfig(Config config)
    {
        var section = config.GetConfig(ConfigPath) ?? throw new ConfigurationException($"Missing {ConfigPath}");
        var settings = new ClusterSettings(
            section.GetBoolean("enabled"),
            section.GetString("hostname"),
            section.GetInt("port"),
            section.GetStringList("seed-nodes").ToList(),
            section.GetInt("shards"),
            section.GetTimeSpan("join-timeout"));
        if (settings.Shards < 1)
            throw new ConfigurationException($"{ConfigPath}.shards must be at least 1, got {settings.Shards}");
        if (settings.Port is < 0 or > 65535)
            throw new ConfigurationException($"{ConfigPath}.port must be 0 to 65535, got {settings.Port}");
        foreach (var seed in settings.SeedNodes)
        {
            try
            {
                Address.Parse(seed);
            }
            catch (Exception error) when (error is UriFormatException or ArgumentException)
            {
                throw new ConfigurationException($"{ConfigPath}.seed-nodes: '{seed}' is not an Akka address such as akka.tcp://akka-hibernation@127.0.0.1:4053");
            }
        }
        return settings;
    }

    /// <summary>
    /// The Akka settings cluster mode lays over the rest (the cluster provider, this node's address, the seeds);
    /// empty when it is off. The rest of Akka's cluster settings live in <c>hocon/cluster.hocon</c>, inert without these.
    /// </summary>
    public Config AkkaOverlay()
    {
        if (!Enabled)
            return ConfigurationFactory.Empty;
        var seeds = string.Join(", ", SeedNodes.Select(seed => JsonSerializer.Serialize(seed)));
        return ConfigurationFactory.ParseString($"""
            akka.actor.provider = cluster
            akka.remote.dot-netty.tcp.hostname = {JsonSerializer.Serialize(Hostname)}
            akka.remote.dot-netty.tcp.port = {Port}
            akka.cluster.seed-nodes = [{seeds}]
            """);
    }
}
