using Akka.Actor;
using Akka.Event;
using AkkaHibernation.Actors.Behaviours;
using AkkaHibernation.Actors.Rooms;
using AkkaHibernation.Actors.Sessions;
using AkkaHibernation.Ids;
using static AkkaHibernation.Actors.Hibernation.HibernationProtocol;
using static AkkaHibernation.Actors.Rooms.RoomProtocol;

namespace AkkaHibernation.Actors.Hibernation;

/// <summary>
/// The parent of every room. A room is <i>active</i> (envelopes are forwarded), <i>passivating</i> (it asked to
/// stop; envelopes are buffered) or <i>hibernated</i> (no actor, only the journal). When a passivating room has
/// terminated, buffered envelopes start its next incarnation and are delivered to it in arrival order, so no
/// envelope is lost or reordered across eviction and wake-up.
/// While the node hands its sockets to another process (<see cref="HoldRooms"/>), or before it has adopted them
/// (started held), no room runs: every envelope is kept, in arrival order, until <see cref="ReleaseRooms"/>.
/// </summary>
public sealed class HibernationManager : ReceiveActor, IWithTimers
{
    private sealed class Slot(RoomKey key, IActorRef room)
    {
        public RoomKey Key { get; } = key;
        public IActorRef Room { get; } = room;
        public bool Passivating { get; set; }
        public bool CountedAsleep { get; set; }
        public bool Evicting { get; set; }
        public long LastUsed { get; set; }
        public Queue<(object Envelope, IActorRef Sender)> Buffer { get; } = new();
    }

    private readonly Func<RoomKey, Props> _roomProps;
    private readonly HibernationCounters _counters;
    private readonly IClientChannelRegistry? _registry;
    private readonly bool _indexAlarms;
    private IActorRef? _alarmIndex;
    private readonly int _maxResidentRooms;
    private long _clock;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<RoomKey, Slot> _byKey = new();
    private readonly Dictionary<IActorRef, Slot> _byRoom = new();
    private IActorRef? _shutdownRequester;
    private AlarmWakeTimers? _alarmWakes;
    private bool _holding;
    private IActorRef? _holdRequester;
    private readonly Queue<(object Envelope, IActorRef Sender)> _held = new();

    /// <summary>Props for the node's manager, whose rooms run <see cref="RoomActor"/> with the behaviour of their type.</summary>
    public static Props Props(
        HibernationSettings settings,
        RoomTypes roomTypes,
        IClientChannelRegistry registry,
        HibernationCounters counters,
        bool held = false) =>
        Props(key => RoomActor.Props(key, settings, roomTypes.FactoryFor(key), registry, counters), counters, settings.MaxResidentRooms, registry,
            indexAlarms: true, held: held);

    /// <summary>
    /// Props for a manager whose rooms are made by <paramref name="roomProps"/> (given the room key), keeping at
    /// most <paramref name="maxResidentRooms"/> in memory (0: no cap). With a <paramref name="registry"/>, the sockets
    /// of a room that fails are closed with 1011; with <paramref name="indexAlarms"/>, room alarms are kept in the
    /// journal's <c>alarm-index</c> so they wake their rooms after a restart too. A manager started
    /// <paramref name="held"/> runs no room until it is sent <see cref="ReleaseRooms"/>.
    /// </summary>
    public static Props Props(
        Func<RoomKey, Props> roomProps,
        HibernationCounters counters,
        int maxResidentRooms = 0,
        IClientChannelRegistry? registry = null,
        bool indexAlarms = false,
        bool held = false) =>
        Akka.Actor.Props.Create(() => new HibernationManager(roomProps, counters, maxResidentRooms, registry, indexAlarms, held));

    /// <inheritdoc />
    public ITimerScheduler Timers { get; set; } = null!;

    private AlarmWakeTimers AlarmWakes => _alarmWakes ??= new AlarmWakeTimers(Timers);

    /// <summary>Made by Akka from <c>Props</c>; public because Akka's activator needs it.</summary>
    public HibernationManager(
        Func<RoomKey, Props> roomProps,
        HibernationCounters counters,
        int maxResidentRooms,
        IClientChannelRegistry? registry,
        bool indexAlarms,
        bool held)
    {
        _holding = held;
        _registry = registry;
        _indexAlarms = indexAlarms;
        _roomProps = roomProps;
        _counters = counters;
        _maxResidentRooms = maxResidentRooms;

        Receive<IRoomEnvelope>(envelope => Route(envelope, Sender));
        Receive<RequestPassivation>(request => OnPassivationRequested(Sender, request.Counted));
        Receive<RoomRecovered>(recovered => _counters.RoomRecovered(recovered.Elapsed, recovered.HibernatedHere));
        Receive<Terminated>(terminated => OnRoomTerminated(terminated.ActorRef));
        Receive<HibernateAll>(_ => HibernateEverything(Sender));
        Receive<HoldRooms>(_ => Hold(Sender));
        Receive<ReleaseRooms>(_ => Release());
        Receive<AlarmScheduled>(scheduled =>
        {
            AlarmWakes.Schedule(scheduled.Room, scheduled.At);
            _alarmIndex?.Tell(scheduled);
        });
        Receive<AlarmRestored>(restored => AlarmWakes.Schedule(restored.Room, restored.At));
        // Through Route, so a sleeping room starts, a stopping one restarts, and a resident one just carries on.
        Receive<AlarmWakeTimers.Due>(due => Self.Tell(new Wake(due.Room)));
    }

    private void Route(IRoomEnvelope envelope, IActorRef sender)
    {
        if (_byKey.TryGetValue(envelope.Room, out var slot))
        {
            slot.LastUsed = ++_clock;
            slot.Evicting = false; // an event cancels a room's early hibernation; it may be picked again later
            if (slot.Passivating)
                slot.Buffer.Enqueue((envelope, sender));
            else
                slot.Room.Tell(envelope, sender);
            return;
        }

        if (_shutdownRequester is not null)
        {
            _log.Warning("Dropped {Envelope} for room {Room}: the node is shutting down", envelope.GetType().Name, envelope.Room);
            if (envelope is Connect connect)
                sender.Tell(new Rejected(connect.Request.ConnectionId, 503, "Server is shutting down"));
            return;
        }

        if (_holding)
        {
            _held.Enqueue((envelope, sender));
            return;
        }

        Start(envelope.Room).Room.Tell(envelope, sender);
        EvictLeastRecentlyUsedOverCap();
    }

    /// <summary>Past the resident cap, the least recently used room hibernates now rather than at its idle timeout.</summary>
    private void EvictLeastRecentlyUsedOverCap()
    {
        if (_maxResidentRooms == 0)
            return;
        var staying = _byKey.Values.Where(s => !s.Passivating).ToList();
        var candidates = staying.Where(s => !s.Evicting).ToList();
        if (staying.Count <= _maxResidentRooms || candidates.Count == 0)
            return;
        var victim = candidates.MinBy(s => s.LastUsed)!;
        victim.Evicting = true;
        _log.Info("Room {Room} hibernates early: {Resident} rooms are resident, the cap is {Cap}", victim.Key, staying.Count, _maxResidentRooms);
        victim.Room.Tell(HibernateNow.Instance);
    }

    private Slot Start(RoomKey key)
    {
        var room = Context.ActorOf(_roomProps(key), key.PersistenceId);
        Context.Watch(room);
        var slot = new Slot(key, room) { LastUsed = ++_clock };
        _byKey[key] = slot;
        _byRoom[room] = slot;
        _counters.RoomStarted();
        return slot;
    }

    /// <inheritdoc />
    protected override void PreStart()
    {
        if (_indexAlarms)
            _alarmIndex = Context.ActorOf(AlarmIndex.Props(), "alarm-index");
    }

    private void OnPassivationRequested(IActorRef room, bool counted)
    {
        if (!_byRoom.TryGetValue(room, out var slot) || slot.Passivating)
            return;
        slot.Passivating = true;
        slot.CountedAsleep = counted;
        // StopRoom queues behind every envelope already forwarded, so the room handles them all before it stops.
        room.Tell(StopRoom.Instance);
    }

    private void OnRoomTerminated(IActorRef room)
    {
        if (!_byRoom.Remove(room, out var slot))
            return;
        _byKey.Remove(slot.Key);
        _counters.RoomStopped(slot.Passivating, slot.CountedAsleep);
        if (slot.Passivating)
            _log.Info("Room {Room} hibernated", slot.Key);
        else
            CloseSocketsOfFailedRoom(slot.Key);

        if (slot.Buffer.Count > 0 && _shutdownRequester is null && _holding)
        {
            // No room runs while the rooms are held: what arrived while it stopped waits with the rest.
            foreach (var held in slot.Buffer)
                _held.Enqueue(held);
        }
        else if (slot.Buffer.Count > 0 && _shutdownRequester is null)
        {
            // Envelopes arrived while it stopped: wake the next incarnation and hand them over in order.
            var next = Start(slot.Key);
            _log.Info("Room {Room}: restarting at once for {Count} envelopes that arrived while it stopped", slot.Key, slot.Buffer.Count);
            foreach (var (envelope, sender) in slot.Buffer)
                next.Room.Tell(envelope, sender);
        }
        else if (slot.Buffer.Count > 0)
        {
            _log.Warning("Room {Room}: {Count} envelopes dropped at shutdown", slot.Key, slot.Buffer.Count);
        }

        ReplyIfAllHibernated();
    }

    /// <summary>
    /// A room stopped on its own: its journal failed (a write, or recovery) or it crashed. Its clients get 1011 and
    /// reconnect, rather than silence; the journal still holds every confirmed event, so the room's next
    /// incarnation recovers, and the sessions closed here are dropped as gone when it does.
    /// </summary>
    private void CloseSocketsOfFailedRoom(RoomKey room)
    {
        var channels = _registry?.InRoom(room).ToList() ?? [];
        _log.Error("Room {Room} stopped without the passivation handshake (its journal failed?); closing its {Count} sockets with 1011",
            room, channels.Count);
        foreach (var channel in channels)
            channel.Close(CloseCodes.InternalError, "Room failed; please reconnect");
    }

    private void HibernateEverything(IActorRef requester)
    {
        _shutdownRequester = requester;
        _log.Info("Hibernating {Count} resident rooms for shutdown", _byKey.Count);
        foreach (var slot in _byKey.Values.Where(s => !s.Passivating))
            slot.Room.Tell(HibernateNow.Instance);
        ReplyIfAllHibernated();
    }

    /// <summary>Hibernates every resident room and keeps every envelope from then on, in order, until released.</summary>
    private void Hold(IActorRef requester)
    {
        _holding = true;
        _holdRequester = requester;
        _log.Info("Holding rooms: hibernating {Count} resident rooms; envelopes wait until the rooms are released", _byKey.Count);
        foreach (var slot in _byKey.Values.Where(s => !s.Passivating))
            slot.Room.Tell(HibernateNow.Instance);
        ReplyIfAllHibernated();
    }

    /// <summary>Rooms may run again: the envelopes kept meanwhile are routed first, in the order they arrived.</summary>
    private void Release()
    {
        if (!_holding)
            return;
        _holding = false;
        _holdRequester = null;
        _log.Info("Rooms released: routing {Count} envelopes that waited", _held.Count);
        while (_held.TryDequeue(out var held))
            Route((IRoomEnvelope)held.Envelope, held.Sender);
    }

    private void ReplyIfAllHibernated()
    {
        if (_byKey.Count > 0)
            return;
        if (_shutdownRequester is not null)
        {
            if (_held.Count > 0)
                _log.Warning("{Count} envelopes held for the rooms were dropped at shutdown", _held.Count);
            _held.Clear();
            _shutdownRequester.Tell(AllHibernated.Instance);
        }
        if (_holding && _holdRequester is not null)
        {
            _holdRequester.Tell(RoomsHeld.Instance);
            _holdRequester = null;
        }
    }
}
