using Akka.Actor;
using AkkaHibernation.Ids;

namespace AkkaHibernation.Server.Node;

/// <summary>
/// Where a node's rooms run: behind the node's own hibernation manager (<see cref="SingleNodeRooms"/>), or as
/// Cluster.Sharding entities spread over the cluster (<see cref="ClusterNodeRooms"/>). The transport is the same
/// in both: it sends room envelopes to <see cref="Envelopes"/> and tags upgrades with <see cref="Edge"/>.
/// </summary>
public abstract class NodeRooms
{
    /// <summary>Where the transport sends room envelopes: the hibernation manager, or this node's shard region.</summary>
    public abstract IActorRef Envelopes { get; }

    /// <summary>This node's edge actor path in cluster mode; null on a single node.</summary>
    public virtual EdgeAddress? Edge => null;

    /// <summary>
    /// At shutdown, after the transport stopped: a single node hibernates every room; a cluster node hands its rooms
    /// off and leaves. False when that did not finish within <paramref name="timeout"/> (the journal still holds every event).
    /// </summary>
    public abstract Task<bool> StopAsync(TimeSpan timeout);
}
