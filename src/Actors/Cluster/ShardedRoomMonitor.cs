using Akka.Actor;
using Akka.Event;
using AkkaHibernation.Actors.Hibernation;
using static AkkaHibernation.Actors.Hibernation.HibernationProtocol;

namespace AkkaHibernation.Actors.Cluster;

/// <summary>
/// One per node in cluster mode: what the hibernation manager does for a single node beside routing, which the
/// shard region does here. It counts the node's resident, woken and hibernated rooms for <c>/metrics</c>, tells a
/// hibernation (the room announced it) from a failure, and passes alarms on to the cluster's alarm index.
/// </summary>
public sealed class ShardedRoomMonitor : ReceiveActor
{
    private readonly HibernationCounters _counters;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly HashSet<IActorRef> _resident = new();
    private readonly Dictionary<IActorRef, bool> _passivating = new(); // the room → counted asleep

    /// <summary>Props for the node's monitor, which forwards alarms to <paramref name="alarmIndex"/> (the singleton's proxy).</summary>
    public static Props Props(HibernationCounters counters, IActorRef alarmIndex) =>
        Akka.Actor.Props.Create(() => new ShardedRoomMonitor(counters, alarmIndex));

    /// <summary>Made by Akka from <see cref="Props"/>; public because Akka's activator needs it.</summary>
    public ShardedRoomMonitor(HibernationCounters counters, IActorRef alarmIndex)
    {
        _counters = counters;
        Receive<RoomRecovered>(recovered =>
        {
            if (_resident.Add(Sender))
            {
                Context.Watch(Sender);
                _counters.RoomStarted();
            }
            _counters.RoomRecovered(recovered.Elapsed, recovered.HibernatedHere);
        });
        Receive<RequestPassivation>(request => _passivating[Sender] = request.Counted);
        Receive<Terminated>(terminated => OnRoomStopped(terminated.ActorRef));
        Receive<AlarmScheduled>(alarmIndex.Forward);
    }

    private void OnRoomStopped(IActorRef room)
    {
        if (!_resident.Remove(room))
            return;
        var hibernated = _passivating.Remove(room, out var counted);
        _counters.RoomStopped(hibernated, counted);
        if (hibernated)
        {
            _log.Info("Room {Room} hibernated", Uri.UnescapeDataString(room.Path.Name));
        }
        else
        {
            // Its sockets stay open: the next envelope starts it again (anywhere), and it recovers from the journal.
            _log.Error("Room {Room} stopped without hibernating (its journal failed?); the next message restarts it",
                Uri.UnescapeDataString(room.Path.Name));
        }
    }
}
