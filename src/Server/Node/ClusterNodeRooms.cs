using Akka.Actor;
using Akka.Cluster.Tools.Singleton;
using AkkaHibernation.Actors.Behaviours;
using AkkaHibernation.Actors.Cluster;
using AkkaHibernation.Actors.Hibernation;
using AkkaHibernation.Actors.Sessions;
using AkkaHibernation.Ids;

namespace AkkaHibernation.Server.Node;

/// <summary>
/// Cluster mode: rooms are sharded entities (<see cref="RoomSharding"/>) on whichever node sharding places them; this
/// node's sockets are reached through its <see cref="SocketEdge"/>; room alarms live in one <see cref="AlarmIndex"/>, a
/// cluster singleton, so an alarm outlives the node that set it.
/// </summary>
public sealed class ClusterNodeRooms : NodeRooms
{
    private const string AlarmIndexName = "alarm-index";
    private readonly ActorSystem _system;

    private ClusterNodeRooms(ActorSystem system, IActorRef region, EdgeAddress edge)
    {
        _system = system;
        Envelopes = region;
        Edge = edge;
    }

    /// <inheritdoc />
    public override IActorRef Envelopes { get; }

    /// <inheritdoc />
    public override EdgeAddress? Edge { get; }

    /// <summary>Starts this node's part of the cluster and waits until the node is Up.</summary>
    public static async Task<ClusterNodeRooms> StartAsync(
        ActorSystem system,
        ClusterSettings cluster,
        HibernationSettings settings,
        RoomTypes types,
        IClientChannelRegistry localSockets,
        HibernationCounters counters)
    {
        var edge = system.ActorOf(SocketEdge.Props(localSockets), SocketEdge.Name);
        var sockets = new ClusterChannelRegistry(localSockets, system, edge);
        var alarmIndex = system.ActorOf(
            ClusterSingletonProxy.Props($"/user/{AlarmIndexName}", ClusterSingletonProxySettings.Create(system)), AlarmIndexName + "-proxy");
        var monitor = system.ActorOf(ShardedRoomMonitor.Props(counters, alarmIndex), "room-monitor");
        var region = RoomSharding.Start(system, settings, types, sockets, counters, monitor, cluster.Shards);
        system.ActorOf(
            ClusterSingletonManager.Props(AlarmIndex.Props(wakeRooms: region), PoisonPill.Instance, ClusterSingletonManagerSettings.Create(system)),
            AlarmIndexName);

        var member = Akka.Cluster.Cluster.Get(system);
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        member.RegisterOnMemberUp(() => up.TrySetResult());
        if (cluster.SeedNodes.Count == 0)
            member.Join(member.SelfAddress);
        try
        {
            await up.Task.WaitAsync(cluster.JoinTimeout);
        }
        catch (TimeoutException)
        {
            var seeds = cluster.SeedNodes.Count == 0 ? "itself" : string.Join(", ", cluster.SeedNodes);
            throw new InvalidOperationException(
                $"Node {member.SelfAddress} did not join the cluster (seed nodes: {seeds}) within {cluster.JoinTimeout.TotalSeconds:0.#} s");
        }
        return new ClusterNodeRooms(system, region, sockets.LocalEdge);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Leaving runs Akka's coordinated shutdown: the shards here hand their rooms off (each snapshots, then stops),
    /// the node leaves, and the actor system stops. Sockets held by other nodes stay open; their rooms start elsewhere.
    /// </remarks>
    public override async Task<bool> StopAsync(TimeSpan timeout)
    {
        try
        {
            await CoordinatedShutdown.Get(_system).Run(CoordinatedShutdown.ClusterLeavingReason.Instance).WaitAsync(timeout);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}
