using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using AkkaHibernation.Actors.Behaviours;
using AkkaHibernation.Actors.Cluster;
using AkkaHibernation.Actors.Connections;
using AkkaHibernation.Actors.Hibernation;
using AkkaHibernation.Actors.Sessions;
using AkkaHibernation.Ids;
using static AkkaHibernation.Actors.Hibernation.HibernationProtocol;
using static AkkaHibernation.Actors.Rooms.RoomEvents;
using static AkkaHibernation.Actors.Rooms.RoomProtocol;

namespace AkkaHibernation.Actors.Rooms;

/// <summary>
/// One incarnation of a room (persistence id <c>room-{name}</c>). It recovers its session map from the snapshot
/// and the events after it, drops sessions whose socket is gone, runs the room behaviour one handler at a time
/// (<see cref="HandlerRunner"/>), persists what the handlers record before their frames go out (<see cref="OutputGate"/>),
/// keeps its alarm (<see cref="RoomAlarm"/>), and hibernates when idle: snapshot, delete the journal rows the snapshot
/// covers, then asks its host to stop it (<see cref="RoomHosting"/>: the hibernation manager's handshake on a single
/// node, its shard's passivation in cluster mode). Each live session is a <see cref="ConnectionActor"/> child that
/// carries the room's commands out on its socket. Its three behaviours: resident; hibernating, which any event turns
/// back into resident; stopping, once its host stops it, which retires the children first. This file holds the
/// behaviours; the sessions' handling and the journal's are in the other parts.
/// </summary>
public sealed partial class RoomActor : ReceivePersistentActor, IWithTimers
{
    private readonly RoomKey _room;
    private readonly HibernationSettings _settings;
    private readonly RoomBehaviourFactory _behaviourFactory;
    private readonly HibernationCounters _counters;
    private readonly RoomHosting _hosting;
    private readonly RoomRuntime _runtime;
    private readonly HandlerRunner _handlers;
    private readonly OutputGate _gate;
    private readonly RoomAlarm _alarm;
    private readonly RemoteSocketWatch _remoteSockets = new();
    private readonly ConnectionChildren _connections = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly WakeClock _sinceStart = new();
    private IRoomBehaviour? _behaviour;
    private long _snapshotSequenceNr;
    private string? _snapshotHibernatedBy; // the latest snapshot's HibernatedBy: which run of the node put the room to sleep under it
    private string? _savingHibernatedBy;
    private bool _snapshotInFlight;
    private int _deletesInFlight;
    private bool _handingOff;
    private int _writesInFlight;
    private int _connectionRepliesDue;
    private bool _retiring;

    /// <summary>Props for the room <paramref name="room"/>.</summary>
    public static Props Props(
        RoomKey room,
        HibernationSettings settings,
        RoomBehaviourFactory behaviourFactory,
        IClientChannelRegistry registry,
        HibernationCounters? counters = null,
        RoomHosting? hosting = null) =>
        ConstructorProducer<RoomActor>.Props(() => new RoomActor(
            room, settings, behaviourFactory, registry, counters ?? new HibernationCounters(), hosting ?? RoomHosting.Managed.Instance));

    private RoomActor(
        RoomKey room,
        HibernationSettings settings,
        RoomBehaviourFactory behaviourFactory,
        IClientChannelRegistry registry,
        HibernationCounters counters,
        RoomHosting hosting)
    {
        _counters = counters;
        _hosting = hosting;
        _room = room;
        _settings = settings;
        _behaviourFactory = behaviourFactory;
        _runtime = new RoomRuntime(room, settings, registry, () => Self.Tell(FlushConnections.Instance));
        _handlers = new HandlerRunner(room, _runtime, settings.HandlerTimeout, _log);
        _gate = new OutputGate(_runtime, PersistThen, () => _writesInFlight > 0);
        _alarm = new RoomAlarm(room, settings, _runtime, _handlers, _log);
        PersistenceId = room.PersistenceId;

        Recover<SnapshotOffer>(offer =>
        {
            var snapshot = (RoomSnapshot)offer.Snapshot;
            _runtime.Restore(snapshot);
            _snapshotSequenceNr = offer.Metadata.SequenceNr;
            _snapshotHibernatedBy = snapshot.HibernatedBy;
        });
        Recover<IRoomEvent>(_runtime.Replay);
        Recover<RecoveryCompleted>(_ => OnRecovered());
        Resident();
    }

    /// <inheritdoc />
    public override string PersistenceId { get; }

    /// <inheritdoc />
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>Every journal write the room started is confirmed (sent to itself, so a hibernation waiting for it continues).</summary>
    private sealed record WritesSettled
    {
        public static WritesSettled Instance { get; } = new();
    }

    /// <summary>Send the connection actors what released effects queued for them (sent to itself; see <see cref="ConnectionOutbox"/>).</summary>
    private sealed record FlushConnections
    {
        public static FlushConnections Instance { get; } = new();
    }

    /// <summary>Make the next slice of the connection actors a wake queued (sent to itself).</summary>
    private sealed record MakeConnections
    {
        public static MakeConnections Instance { get; } = new();
    }

    /// <summary>In memory and handling events; idle for the idle timeout, or told to, it starts hibernating.</summary>
    private void Resident()
    {
        Events(hibernating: false);
        Command<ReceiveTimeout>(_ => BeginHibernation("idle", handOff: false));
        Command<HibernateNow>(_ => BeginHibernation("told to", handOff: true));
        Housekeeping(hibernating: false);
    }

    /// <summary>
    /// Writing its last snapshot and clearing the journal behind it before asking its host to stop it. An event that
    /// arrives meanwhile makes the room resident again and is handled; the host is asked only once all is written.
    /// </summary>
    private void Hibernating()
    {
        Events(hibernating: true);
        Command<ReceiveTimeout>(_ => { }); // already on its way out
        Command<HibernateNow>(_ => BeginHibernation("told to", handOff: true));
        Housekeeping(hibernating: true);
    }

    /// <summary>
    /// Stopped by its host: once its writes are confirmed and its connection actors have answered what it asked them,
    /// it retires them (each carries out what is queued for its socket first), then stops. The host sends nothing more
    /// meanwhile (it buffers the room's envelopes until the next incarnation).
    /// </summary>
    private void Stopping()
    {
        Command<WritesSettled>(_ => ContinueStopping());
        Command<FlushConnections>(_ => _runtime.FlushConnections());
        Command<MakeConnections>(_ => { });  // the children that exist retire; the rest need not be made
        Command<ReceiveTimeout>(_ => { });   // already on its way out
        Command<Terminated>(terminated =>
        {
            if (_connections.OnTerminated(terminated.ActorRef))
                StopOnceChildrenGone();
        });
        ConnectionReplies(then: ContinueStopping);
        JournalAnswers(hibernating: false);
        CommandAny(message => _log.Warning("Room {Room}: {Message} arrived after its host stopped it; not handled", _room, message.GetType().Name));
    }

    /// <summary>What the room is for: connections, messages, closes, its alarm. Each one keeps (or makes) it resident.</summary>
    private void Events(bool hibernating)
    {
        Command<Connect>(connect => Resume(hibernating, () => HandleConnect(connect)));
        Command<Inbound>(inbound => Resume(hibernating, () => HandleInbound(inbound)));
        Command<Closed>(closed => Resume(hibernating, () => CloseSession(closed.ConnectionId, closed.Code, closed.Reason, closed.WasClean)));
        Command<RoomAlarm.Due>(_ => Resume(hibernating, FireAlarm));
        Command<Wake>(_ => { }); // recovering was the point (an alarm due now fires from OnRecovered)
        Command<Terminated>(terminated =>
        {
            if (!_connections.OnTerminated(terminated.ActorRef))
                OnEdgeGone(terminated.ActorRef);
        });
        Command<FlushConnections>(_ => _runtime.FlushConnections());
        Command<MakeConnections>(_ =>
        {
            if (_connections.MakeSlice(Context))
                Self.Tell(MakeConnections.Instance);
        });
        ConnectionReplies(then: () => { });
    }

    /// <summary>The connection actors' answers, handled in every behaviour since the room asked for them; then <paramref name="then"/>.</summary>
    private void ConnectionReplies(Action then)
    {
        Command<ConnectionProtocol.InOrder>(inOrder =>
        {
            OnInOrder(inOrder);
            then();
        });
        Command<ConnectionProtocol.Ended>(ended =>
        {
            OnEnded(ended);
            then();
        });
    }

    /// <summary>The host's stop and the journal's answers, resident or hibernating.</summary>
    private void Housekeeping(bool hibernating)
    {
        Command<StopRoom>(_ => BeginStopping());
        Command<WritesSettled>(_ =>
        {
            if (hibernating)
                ContinueHibernation();
        });
        JournalAnswers(hibernating);
    }

    /// <summary>Snapshots and their clean-up answered, in every behaviour; <paramref name="hibernating"/> says whether they continue a hibernation.</summary>
    private void JournalAnswers(bool hibernating)
    {
        Command<SaveSnapshotSuccess>(saved => OnSnapshotSaved(saved, hibernating));
        Command<SaveSnapshotFailure>(failure =>
        {
            _snapshotInFlight = false;
            _log.Warning(failure.Cause, "Room {Room}: snapshot at {SequenceNr} failed; its events stay in the journal", _room, failure.Metadata.SequenceNr);
            if (hibernating)
                AskToStop();
        });
        Command<DeleteMessagesSuccess>(deleted =>
        {
            _log.Debug("Room {Room}: deleted journal rows up to {SequenceNr}", _room, deleted.ToSequenceNr);
            OnDeleteAnswered(hibernating);
        });
        Command<DeleteMessagesFailure>(failure =>
        {
            _log.Warning(failure.Cause, "Room {Room}: deleting journal rows up to {SequenceNr} failed", _room, failure.ToSequenceNr);
            OnDeleteAnswered(hibernating);
        });
        Command<DeleteSnapshotsSuccess>(_ => OnDeleteAnswered(hibernating));
        Command<DeleteSnapshotsFailure>(failure =>
        {
            _log.Warning(failure.Cause, "Room {Room}: deleting old snapshots failed", _room);
            OnDeleteAnswered(hibernating);
        });
    }

    /// <summary>An event arrived: a hibernating room becomes resident again, then handles it.</summary>
    private void Resume(bool hibernating, Action handle)
    {
        if (hibernating)
        {
            _log.Debug("Room {Room}: an event arrived while it was hibernating; it stays resident", _room);
            Become(Resident);
        }
        handle();
    }

    private void OnRecovered()
    {
        var recovered = _sinceStart.Elapsed;
        _runtime.Mark();
        var (gone, ended) = _runtime.Reconcile();
        var reconciled = _sinceStart.Elapsed;
        _behaviour = _behaviourFactory(_runtime);
        Commit();
        // Sockets that ended while no incarnation could handle it (their report may be lost): close them now.
        foreach (var (socket, end) in ended)
            CloseSession(socket.ConnectionId, end.Code, end.Reason, end.WasClean);
        _alarm.Arm(Timers, _hosting.Observer(Context));
        SetReceiveTimeout(_settings.IdleTimeout);
        _remoteSockets.Follow(Context, _room, _runtime.LiveSockets, probe: true);
        // Not before the first turns: the messages that woke the room are handled and written first, the children follow.
        _connections.MakeLater(_runtime.LiveSockets);
        if (_connections.Unmade)
            Timers.StartSingleTimer(nameof(MakeConnections), MakeConnections.Instance, ConnectionChildren.AfterWake);
        _hosting.Observer(Context).Tell(new RoomRecovered(_sinceStart.Elapsed, HibernatedHere: SleepsUnderOwnSnapshot));
        // Where a wake's time goes: reading the journal, re-attaching sessions, building the behaviour, and how much of it
        // the garbage collector took.
        var breakdown = $"journal {recovered.TotalMilliseconds:F1} ms, sessions {(reconciled - recovered).TotalMilliseconds:F1} ms, " +
                        $"behaviour {(_sinceStart.Elapsed - reconciled).TotalMilliseconds:F1} ms; " +
                        $"GC {_sinceStart.Collections} collections, {_sinceStart.Paused.TotalMilliseconds:F1} ms paused";
        // Restored counts the sessions still open; those whose socket ended while no incarnation ran were closed above.
        _log.Info("Room {Room} is resident: {Restored} sessions restored, {Gone} gone, {Ended} ended while it slept, recovered to sequence {SequenceNr} in {ElapsedMs:F1} ms ({Breakdown})",
            [_room, _runtime.LiveCount, gone, ended.Count, LastSequenceNr, _sinceStart.Elapsed.TotalMilliseconds, breakdown]);
    }

    private IRoomBehaviour Behaviour =>
        _behaviour ?? throw new InvalidOperationException("Room behaviour is made when recovery completes");
}
