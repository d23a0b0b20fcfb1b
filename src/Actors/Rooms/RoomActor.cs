using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using AkkaHibernation.Actors.Behaviours;
using AkkaHibernation.Actors.Cluster;
using AkkaHibernation.Actors.Hibernation;
using AkkaHibernation.Actors.Sessions;
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
/// node, its shard's passivation in cluster mode). Resident and hibernating are its two behaviours: any event while it
/// hibernates makes it resident again.
/// </summary>
public sealed class RoomActor : ReceivePersistentActor, IWithTimers
{
    private readonly string _roomName;
    private readonly HibernationSettings _settings;
    private readonly RoomBehaviourFactory _behaviourFactory;
    private readonly HibernationCounters _counters;
    private readonly RoomHosting _hosting;
    private readonly RoomRuntime _runtime;
    private readonly HandlerRunner _handlers;
    private readonly OutputGate _gate;
    private readonly RoomAlarm _alarm;
    private readonly RemoteSocketWatch _remoteSockets = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Stopwatch _sinceStart = Stopwatch.StartNew();
    private IRoomBehaviour? _behaviour;
    private long _snapshotSequenceNr;
    private bool _snapshotInFlight;
    private int _deletesInFlight;
    private bool _handingOff;
    private int _writesInFlight;

    /// <summary>Props for the room <paramref name="roomName"/>.</summary>
    public static Props Props(
        string roomName,
        HibernationSettings settings,
        RoomBehaviourFactory behaviourFactory,
        IClientChannelRegistry registry,
        HibernationCounters? counters = null,
        RoomHosting? hosting = null) =>
        ConstructorProducer<RoomActor>.Props(() => new RoomActor(
            roomName, settings, behaviourFactory, registry, counters ?? new HibernationCounters(), hosting ?? RoomHosting.Managed.Instance));

    private RoomActor(
        string roomName,
        HibernationSettings settings,
        RoomBehaviourFactory behaviourFactory,
        IClientChannelRegistry registry,
        HibernationCounters counters,
        RoomHosting hosting)
    {
        _counters = counters;
        _hosting = hosting;
        _roomName = roomName;
        _settings = settings;
        _behaviourFactory = behaviourFactory;
        _runtime = new RoomRuntime(roomName, settings, registry);
        _handlers = new HandlerRunner(roomName, _runtime, settings.HandlerTimeout, _log);
        _gate = new OutputGate(_runtime, PersistThen, () => _writesInFlight > 0);
        _alarm = new RoomAlarm(roomName, settings, _runtime, _handlers, _log);
        PersistenceId = RoomName.PersistenceId(roomName);

        Recover<SnapshotOffer>(offer =>
        {
            _runtime.Restore((RoomSnapshot)offer.Snapshot);
            _snapshotSequenceNr = offer.Metadata.SequenceNr;
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

    /// <summary>What the room is for: connections, messages, closes, its alarm. Each one keeps (or makes) it resident.</summary>
    private void Events(bool hibernating)
    {
        Command<Connect>(connect => Resume(hibernating, () => HandleConnect(connect)));
        Command<Inbound>(inbound => Resume(hibernating, () => HandleInbound(inbound)));
        Command<Closed>(closed => Resume(hibernating, () => CloseSession(closed.ConnectionId, closed.Code, closed.Reason, closed.WasClean)));
        Command<RoomAlarm.Due>(_ => Resume(hibernating, FireAlarm));
        Command<Wake>(_ => { }); // recovering was the point (an alarm due now fires from OnRecovered)
        Command<Terminated>(terminated => OnEdgeGone(terminated.ActorRef));
    }

    /// <summary>The journal's answers and the host's stop, in either behaviour; <paramref name="hibernating"/> says whether they continue a hibernation.</summary>
    private void Housekeeping(bool hibernating)
    {
        // Every released frame is already in its socket's queue, so nothing is in flight that stopping could drop.
        Command<StopRoom>(_ => Context.Stop(Self));
        Command<WritesSettled>(_ =>
        {
            if (hibernating)
                ContinueHibernation();
        });
        Command<SaveSnapshotSuccess>(OnSnapshotSaved);
        Command<SaveSnapshotFailure>(failure =>
        {
            _snapshotInFlight = false;
            _log.Warning(failure.Cause, "Room {Room}: snapshot at {SequenceNr} failed; its events stay in the journal", _roomName, failure.Metadata.SequenceNr);
            if (hibernating)
                _hosting.RequestStop(Context, _handingOff);
        });
        Command<DeleteMessagesSuccess>(deleted =>
        {
            _log.Debug("Room {Room}: deleted journal rows up to {SequenceNr}", _roomName, deleted.ToSequenceNr);
            OnDeleteAnswered(hibernating);
        });
        Command<DeleteMessagesFailure>(failure =>
        {
            _log.Warning(failure.Cause, "Room {Room}: deleting journal rows up to {SequenceNr} failed", _roomName, failure.ToSequenceNr);
            OnDeleteAnswered(hibernating);
        });
        Command<DeleteSnapshotsSuccess>(_ => OnDeleteAnswered(hibernating));
        Command<DeleteSnapshotsFailure>(failure =>
        {
            _log.Warning(failure.Cause, "Room {Room}: deleting old snapshots failed", _roomName);
            OnDeleteAnswered(hibernating);
        });
    }

    /// <summary>An event arrived: a hibernating room becomes resident again, then handles it.</summary>
    private void Resume(bool hibernating, Action handle)
    {
        if (hibernating)
        {
            _log.Debug("Room {Room}: an event arrived while it was hibernating; it stays resident", _roomName);
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
        _remoteSockets.Follow(Context, _roomName, _runtime.LiveSockets, probe: true);
        _hosting.Observer(Context).Tell(new RoomRecovered(_sinceStart.Elapsed));
        // Where a wake's time goes: reading the journal, re-attaching sessions, building the behaviour.
        var breakdown = $"journal {recovered.TotalMilliseconds:F1} ms, sessions {(reconciled - recovered).TotalMilliseconds:F1} ms, " +
                        $"behaviour {(_sinceStart.Elapsed - reconciled).TotalMilliseconds:F1} ms";
        _log.Info("Room {Room} is resident: {Restored} sessions restored, {Gone} gone, recovered to sequence {SequenceNr} in {ElapsedMs:F1} ms ({Breakdown})",
            _roomName, _runtime.LiveCount, gone, LastSequenceNr, _sinceStart.Elapsed.TotalMilliseconds, breakdown);
    }

    private void HandleConnect(Connect connect)
    {
        var replyTo = Sender;
        var connectionId = connect.Request.ConnectionId;
        if (_runtime.State.Sessions.Count >= _settings.MaxConnectionsPerRoom)
        {
            _log.Warning("Room {Room}: refused connection {ConnectionId}, room is full", _roomName, connectionId);
            replyTo.Tell(new Rejected(connectionId, 503,
                $"Room '{_roomName}' is full: it holds {_settings.MaxConnectionsPerRoom} connections"));
            return;
        }

        _runtime.Mark();
        ConnectResult result;
        try
        {
            result = _handlers.Timed(nameof(IRoomBehaviour.OnConnect), () => Behaviour.OnConnect(connect.Request));
        }
        catch (Exception error)
        {
            _runtime.RollbackToMark();
            _log.Error(error, "Room {Room}: OnConnect failed for connection {ConnectionId}", _roomName, connectionId);
            result = ConnectResult.Reject(500, "Room failed to accept the connection");
        }

        switch (result)
        {
            case ConnectResult.Accepted { Subprotocol: { } selected } when !connect.Request.Subprotocols.Contains(selected):
                _runtime.RollbackToMark();
                _log.Error("Room {Room}: OnConnect selected subprotocol '{Subprotocol}' for connection {ConnectionId}, which the client did not offer (offered: {Offered})",
                    _roomName, selected, connectionId, string.Join(", ", connect.Request.Subprotocols));
                replyTo.Tell(new Rejected(connectionId, 500, $"Room selected subprotocol '{selected}', which the client did not offer"));
                break;
            case ConnectResult.Accepted accepted
                when accepted.Socket.ConnectionId == connectionId && _runtime.AcceptedSinceMark(accepted.Socket):
                _remoteSockets.Follow(Context, _roomName, [(RoomWebSocket)accepted.Socket], probe: false);
                Commit(() => replyTo.Tell(new Accepted(connectionId, _runtime.State.AutoResponse, accepted.Subprotocol)));
                break;
            case ConnectResult.Accepted:
                _runtime.RollbackToMark();
                _log.Error("Room {Room}: OnConnect returned a socket it did not accept for connection {ConnectionId}", _roomName, connectionId);
                replyTo.Tell(new Rejected(connectionId, 500, "Room returned a socket it did not accept"));
                break;
            case ConnectResult.Rejected rejected:
                if (_runtime.AcceptedSinceMark(_runtime.Find(connectionId)!))
                    _runtime.RollbackToMark();
                Commit(() => replyTo.Tell(new Rejected(connectionId, rejected.Status, rejected.Body)));
                break;
        }
    }

    private void HandleInbound(Inbound inbound)
    {
        var socket = _runtime.Find(inbound.ConnectionId);
        if (socket is null)
        {
            _log.Debug("Room {Room}: dropped a message for unknown connection {ConnectionId}", _roomName, inbound.ConnectionId);
            return;
        }
        if (inbound.Seq == 0)
        {
            _handlers.Run(Behaviour, socket, nameof(IRoomBehaviour.OnMessage), () => Behaviour.OnMessage(socket, inbound.Message));
            Commit();
            return;
        }

        var ready = socket.InboundSequence.Accept(inbound.Seq, inbound.AckedUpTo, inbound.Message);
        if (ready.Count == 0 && socket.InboundSequence.IsHeld(inbound.Seq))
        {
            _log.Debug("Room {Room}: message {Seq} of connection {ConnectionId} overtook an earlier one; holding it (handled up to {Contiguous})",
                _roomName, inbound.Seq, inbound.ConnectionId, socket.InboundSequence.Contiguous);
            return;
        }
        if (ready.Count == 0)
            _log.Debug("Room {Room}: message {Seq} of connection {ConnectionId} was sent again; already handled", _roomName, inbound.Seq, inbound.ConnectionId);
        foreach (var message in ready)
            _handlers.Run(Behaviour, socket, nameof(IRoomBehaviour.OnMessage), () => Behaviour.OnMessage(socket, message));
        // Confirmed once the handlers' events are persisted, behind their frames, so its node stops keeping the messages
        // (a copy is confirmed again: the confirmation before it may have been lost with a node).
        _runtime.Acknowledge(socket, socket.InboundSequence.Contiguous);
        Commit();
    }

    private void CloseSession(string connectionId, int code, string reason, bool wasClean)
    {
        // Messages held for an earlier one that was lost with its node: the client sent them before closing.
        if (_runtime.Find(connectionId) is { } closing)
        {
            foreach (var message in closing.ReleaseHeldInbound())
                _handlers.Run(Behaviour, closing, nameof(IRoomBehaviour.OnMessage), () => Behaviour.OnMessage(closing, message));
        }
        var socket = _runtime.EndSession(connectionId, code, reason, wasClean);
        if (socket is null)
        {
            _log.Debug("Room {Room}: close {Code} for unknown (or already closed) connection {ConnectionId}", _roomName, code, connectionId);
            return;
        }
        _handlers.Run(Behaviour, socket, nameof(IRoomBehaviour.OnClose), () => Behaviour.OnClose(socket, code, reason, wasClean));
        _runtime.ReleaseSession(socket);
        Commit();
    }

    /// <summary>Persists what the turn recorded, then releases its frames (and <paramref name="afterPersist"/>).</summary>
    private void Commit(Action? afterPersist = null)
    {
        _alarm.Arm(Timers, _hosting.Observer(Context));
        _gate.Commit(afterPersist);
    }

    /// <summary>
    /// The gate's write: persist the events; once they are confirmed, let the turn's effects out, and snapshot when due.
    /// The room does not wait for the write: the next commands are handled meanwhile (their own effects wait behind
    /// it, since deferred handlers run in order), so a burst of connects costs one batched journal write, not one
    /// round trip each. A write that fails stops the room before any effect of it left; its next incarnation recovers
    /// what the journal holds.
    /// </summary>
    private void PersistThen(List<IRoomEvent> events, Action released)
    {
        if (events.Count == 0)
        {
            DeferAsync(released, then => then()); // nothing to write: wait only for the writes before
            return;
        }
        var writing = Stopwatch.StartNew();
        _writesInFlight++;
        PersistAllAsync(events, _ => { });
        DeferAsync(released, then =>
        {
            _writesInFlight--;
            _counters.JournalWritten(writing.Elapsed);
            then();
            if (_writesInFlight > 0)
                return; // a snapshot must not hold state whose events are not written yet
            if (!_snapshotInFlight && LastSequenceNr - _snapshotSequenceNr >= _settings.SnapshotEvery)
                TakeSnapshot();
            Self.Tell(WritesSettled.Instance);
        });
    }

    private void FireAlarm()
    {
        if (_alarm.Fire(Behaviour, Timers, _hosting.Observer(Context)))
            Commit();
    }

    private void BeginHibernation(string why, bool handOff)
    {
        _handingOff = handOff;
        _log.Debug("Room {Room}: hibernating ({Reason})", _roomName, why);
        Become(Hibernating);
        ContinueHibernation();
    }

    /// <summary>Snapshot what is not yet covered, wait for its clean-up, then ask the host to stop this room.</summary>
    private void ContinueHibernation()
    {
        if (_writesInFlight > 0 || _snapshotInFlight || _deletesInFlight > 0)
            return; // a write, a snapshot or its clean-up is still running; its answer continues here
        if (LastSequenceNr > _snapshotSequenceNr)
            TakeSnapshot();
        else
            _hosting.RequestStop(Context, _handingOff);
    }

    private void TakeSnapshot()
    {
        _snapshotInFlight = true;
        SaveSnapshot(_runtime.State.ToSnapshot());
    }

    /// <summary>A snapshot is written; its clean-up follows, and a hibernation continues when that is answered.</summary>
    private void OnSnapshotSaved(SaveSnapshotSuccess saved)
    {
        _snapshotInFlight = false;
        _snapshotSequenceNr = saved.Metadata.SequenceNr;
        // The snapshot covers these rows and older snapshots: keep the journal bounded. The newest covered event
        // stays, so the room keeps a live journal row that Akka.Persistence.Query lists (ops commands find it).
        _deletesInFlight += 2;
        DeleteMessages(saved.Metadata.SequenceNr - 1);
        DeleteSnapshots(new SnapshotSelectionCriteria(saved.Metadata.SequenceNr - 1));
    }

    private void OnDeleteAnswered(bool hibernating)
    {
        _deletesInFlight--;
        if (hibernating)
            ContinueHibernation();
    }

    /// <summary>The node holding some of the room's sockets is gone, and its sockets with it: close them as vanished.</summary>
    private void OnEdgeGone(IActorRef edge)
    {
        if (!_remoteSockets.TryLose(edge, _runtime.LiveSockets, out var lost))
            return;
        _log.Warning("Room {Room}: the node holding {Count} of its sockets is gone ({Node}); closing them with 1006", _roomName, lost.Count, edge.Path.Address);
        foreach (var connectionId in lost)
            CloseSession(connectionId, CloseCodes.Abnormal, "The node holding the socket is gone", false);
    }

    private IRoomBehaviour Behaviour =>
        _behaviour ?? throw new InvalidOperationException("Room behaviour is made when recovery completes");
}
