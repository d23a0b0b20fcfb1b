using Akka.Actor;
using Akka.Cluster.Sharding;
using AkkaHibernation.Actors.Behaviours;
using AkkaHibernation.Actors.Hibernation;
using AkkaHibernation.Actors.Rooms;
using AkkaHibernation.Actors.Sessions;
using AkkaHibernation.Ids;
using static AkkaHibernation.Actors.Hibernation.HibernationProtocol;

namespace AkkaHibernation.Actors.Cluster;

/// <summary>Starts rooms as Cluster.Sharding entities: the region takes every <see cref="RoomProtocol.IRoomEnvelope"/>.</summary>
public static class RoomSharding
{
    /// <summary>The sharded entity type of rooms.</summary>
    public const string TypeName = "room";

    /// <summary>
    /// Starts this node's region. Rooms passivate themselves (<see cref="RoomHosting.Sharded"/>); a hand-off tells
    /// them <see cref="HibernateNow"/>, so they snapshot before they stop and the next node finds their sockets.
    /// </summary>
    public static IActorRef Start(
        ActorSystem system,
        HibernationSettings settings,
        RoomTypes roomTypes,
        IClientChannelRegistry registry,
        HibernationCounters counters,
        IActorRef monitor,
        int shards)
    {
        var sharding = ClusterSharding.Get(system);
        var shardingSettings = ClusterShardingSettings.Create(system);
        var hosting = new RoomHosting.Sharded(monitor);
        return sharding.Start(
            TypeName,
            entityId =>
            {
                var key = RoomKey.Parse(entityId); // the extractor's own Room.Value, so always valid
                return RoomActor.Props(key, settings, roomTypes.FactoryFor(key), registry, counters, hosting);
            },
            shardingSettings,
            new RoomEnvelopeExtractor(shards),
            sharding.DefaultShardAllocationStrategy(shardingSettings),
            HibernateNow.Instance);
    }
}
