using Akka.Actor;
using Akka.Cluster.Sharding;
using static AkkaHibernation.Actors.Hibernation.HibernationProtocol;

namespace AkkaHibernation.Actors.Rooms;

/// <summary>
/// What runs a room, and so how the room asks to be stopped and where it reports recoveries and alarms. A room
/// decides by itself when it hibernates (idle timeout, or told to); the host only stops it, with one protocol in
/// each mode: the node's <see cref="Hibernation.HibernationManager"/> on a single node, its shard in cluster mode.
/// </summary>
public abstract record RoomHosting
{
    private RoomHosting() { }

    /// <summary>The room's state is in the journal: ask to be stopped (<paramref name="handOff"/>: the host is handing it off).</summary>
    public abstract void RequestStop(IActorContext room, bool handOff, RequestPassivation request);

    /// <summary>Who hears <see cref="RoomRecovered"/> and <see cref="AlarmScheduled"/>.</summary>
    public abstract IActorRef Observer(IActorContext room);

    /// <summary>The room is a child of the node's hibernation manager, which buffers envelopes while it stops.</summary>
    public sealed record Managed : RoomHosting
    {
        /// <summary>The one instance.</summary>
        public static Managed Instance { get; } = new();

        /// <inheritdoc />
        public override void RequestStop(IActorContext room, bool handOff, RequestPassivation request) => room.Parent.Tell(request);

        /// <inheritdoc />
        public override IActorRef Observer(IActorContext room) => room.Parent;
    }

    /// <summary>
    /// The room is a Cluster.Sharding entity. Idle, it passivates through its shard, which buffers envelopes and
    /// starts the next incarnation for them; handed off (rebalance, or its node leaving), the shard waits for it to
    /// stop, so it stops itself once its snapshot is written (as any stop does: its connection actors first). <paramref name="Monitor"/> is the node's
    /// <see cref="Cluster.ShardedRoomMonitor"/>, told before either so it counts a hibernation, not a failure.
    /// </summary>
    public sealed record Sharded(IActorRef Monitor) : RoomHosting
    {
        /// <inheritdoc />
        public override void RequestStop(IActorContext room, bool handOff, RequestPassivation request)
        {
            Monitor.Tell(request, room.Self);
            if (handOff)
                room.Self.Tell(StopRoom.Instance); // stops as the shard's passivation would, retiring its connections
            else
                room.Parent.Tell(new Passivate(StopRoom.Instance));
        }

        /// <inheritdoc />
        public override IActorRef Observer(IActorContext room) => Monitor;
    }
}
