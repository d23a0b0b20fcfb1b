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
/// and the events after it, drops sessions whose socket is gone, runs the room behaviour one handler at a time,
/// persists what the handlers record before their frames go out, and hibernates when idle: snapshot, delete the
/// journal rows the snapshot covers, then asks its host to stop it (<see cref="RoomHosting"/>: the hibernation
/// manager's handshake on a single node, its shard's passivation in cluster mode).
/// </summary>
public sealed class RoomActor : ReceivePersistentActor, IWithTimers
{
    private const string AlarmTimer = "alarm";

    /// <summary>The room's own alarm timer fired.</summary>
    private sealed record AlarmDue
    {
        public static AlarmDue Instance { get; } = new();
    }

    private readonly string _roomName;
    private readonly HibernationSettings _settings;
    private readonly RoomBehaviourFactory _behaviourFactory;
    private readonly HibernationCounters _counters;
    private readonly RoomHosting _hosting;
    private readonly RoomRuntime _runtime;
    private readonly HashSet<IActorRef> _watchedEdges = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Stopwatch _sinceStart = Stopwatch.StartNew();
    private IRoomBehaviour? _behaviour;
    private DateTimeOffset? _armedAlarm;
    private int _alarmRetries;
    private long _snapshotSequenceNr;
    private bool _snapshotInFlight;
    private int _deletesInFlight;
    private bool _hibernating;
    private bool _handingOff;

    /// <summary>Props for the room <paramref name="roomName"/>.</summary>
    public static Props Props(
        string roomName,
        HibernationSettings settings,
        RoomBehaviourFactory behaviourFactory,
        IClientChannelRegistry registry,
        HibernationCounters? counters = null,
        RoomHosting? hosting = null) =>
        Akka.Actor.Props.CreateBy(new RoomActorProducer(() => new RoomActor(
            roomName, settings, behaviourFactory, registry, counters ?? new HibernationCounters(), hosting ?? RoomHosting.Managed.Instance)));

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
        PersistenceId = RoomName.PersistenceId(roomName);

        Recover<SnapshotOffer>(offer =>
        {
            _runtime.Restore((RoomSnapshot)offer.Snapshot);
            _snapshotSequenceNr = offer.Metadata.SequenceNr;
        });
        Recover<IRoomEvent>(_runtime.Replay);
        Recover<RecoveryCompleted>(_ => OnRecovered());

        Command<Connect>(HandleConnect);
        Command<Inbound>(HandleInbound);
        Command<Closed>(HandleClosed);
        Command<Wake>(_ => { }); // recovering was the point (an alarm due now fires from OnRecovered)
        Command<AlarmDue>(_ => FireAlarm());
        Command<ReceiveTimeout>(_ => BeginHibernation("idle", handOff: false));
        Command<HibernateNow>(_ => BeginHibernation("told to", handOff: true));
        Command<Terminated>(terminated => OnEdgeGone(terminated.ActorRef));
        // Every released frame is already in its socket's queue, so nothing is in flight that stopping could drop.
        Command<StopRoom>(_ => Context.Stop(Self));
        Command<SaveSnapshotSuccess>(OnSnapshotSaved);
        Command<SaveSnapshotFailure>(failure =>
        {
            _snapshotInFlight = false;
            _log.Warning(failure.Cause, "Room {Room}: snapshot at {SequenceNr} failed; its events stay in the journal", _roomName, failure.Metadata.SequenceNr);
            if (_hibernating)
                _hosting.RequestStop(Context, _handingOff);
        });
        Command<DeleteMessagesSuccess>(deleted =>
        {
            _log.Debug("Room {Room}: deleted journal rows up to {SequenceNr}", _roomName, deleted.ToSequenceNr);
            OnDeleteAnswered();
        });
        Command<DeleteMessagesFailure>(failure =>
        {
            _log.Warning(failure.Cause, "Room {Room}: deleting journal rows up to {SequenceNr} failed", _roomName, failure.ToSequenceNr);
            OnDeleteAnswered();
        });
        Command<DeleteSnapshotsSuccess>(_ => OnDeleteAnswered());
        Command<DeleteSnapshotsFailure>(failure =>
        {
            _log.Warning(failure.Cause, "Room {Room}: deleting old snapshots failed", _roomName);
            OnDeleteAnswered();
        });
    }

    /// <inheritdoc />
    public override string PersistenceId { get; }

    /// <inheritdoc />
    public ITimerScheduler Timers { get; set; } = null!;

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
        ArmAlarm();
        SetReceiveTimeout(_settings.IdleTimeout);
        FollowRemoteSockets(_runtime.LiveSockets, probe: true);
        _hosting.Observer(Context).Tell(new RoomRecovered(_sinceStart.Elapsed));
        // Where a wake's time goes: reading the journal, re-attaching sessions, building the behaviour.
        var breakdown = $"journal {recovered.TotalMilliseconds:F1} ms, sessions {(reconciled - recovered).TotalMilliseconds:F1} ms, " +
                        $"behaviour {(_sinceStart.Elapsed - reconciled).TotalMilliseconds:F1} ms";
        _log.Info("Room {Room} is resident: {Restored} sessions restored, {Gone} gone, recovered to sequence {SequenceNr} in {ElapsedMs:F1} ms ({Breakdown})",
            _roomName, _runtime.LiveCount, gone, LastSequenceNr, _sinceStart.Elapsed.TotalMilliseconds, breakdown);
    }

    private void HandleConnect(Connect connect)
    {
        _hibernating = false;
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
            result = Timed(nameof(IRoomBehaviour.OnConnect), () => Behaviour.OnConnect(connect.Request));
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
                FollowRemoteSockets([(RoomWebSocket)accepted.Socket], probe: false);
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
        _hibernating = false;
        var socket = _runtime.Find(inbound.ConnectionId);
        if (socket is null)
        {
            _log.Debug("Room {Room}: dropped a message for unknown connection {ConnectionId}", _roomName, inbound.ConnectionId);
            return;
        }
        if (inbound.Seq == 0)
        {
            RunHandler(socket, nameof(IRoomBehaviour.OnMessage), () => Behaviour.OnMessage(socket, inbound.Message));
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
            RunHandler(socket, nameof(IRoomBehaviour.OnMessage), () => Behaviour.OnMessage(socket, message));
        // Confirmed once the handlers' events are persisted, behind their frames, so its node stops keeping the messages
        // (a copy is confirmed again: the confirmation before it may have been lost with a node).
        _runtime.Acknowledge(socket, socket.InboundSequence.Contiguous);
        Commit();
    }

    private void HandleClosed(Closed closed)
    {
        _hibernating = false;
        CloseSession(closed.ConnectionId, closed.Code, closed.Reason, closed.WasClean);
    }

    private void CloseSession(string connectionId, int code, string reason, bool wasClean)
    {
        // Messages held for an earlier one that was lost with its node: the client sent them before closing.
        if (_runtime.Find(connectionId) is { } closing)
        {
            foreach (var message in closing.ReleaseHeldInbound())
                RunHandler(closing, nameof(IRoomBehaviour.OnMessage), () => Behaviour.OnMessage(closing, message));
        }
        var socket = _runtime.EndSession(connectionId, code, reason, wasClean);
        if (socket is null)
        {
            _log.Debug("Room {Room}: close {Code} for unknown (or already closed) connection {ConnectionId}", _roomName, code, connectionId);
            return;
        }
        RunHandler(socket, nameof(IRoomBehaviour.OnClose), () => Behaviour.OnClose(socket, code, reason, wasClean));
        _runtime.ReleaseSession(socket);
        Commit();
    }

    /// <summary>Runs one behaviour handler; if it throws, its writes are undone and its socket is closed with 1011.</summary>
    private void RunHandler(RoomWebSocket socket, string handlerName, Action handler)
    {
        _runtime.Mark();
        try
        {
            Timed(handlerName, handler);
        }
        catch (Exception error)
        {
            _runtime.RollbackToMark();
            _log.Error(error, "Room {Room}: handler failed for connection {ConnectionId}; closing it with 1011", _roomName, socket.ConnectionId);
            try
            {
                Timed(nameof(IRoomBehaviour.OnError), () => Behaviour.OnError(socket, error));
            }
            catch (Exception onErrorFailure)
            {
                _runtime.RollbackToMark();
                _log.Error(onErrorFailure, "Room {Room}: OnError failed for connection {ConnectionId}", _roomName, socket.ConnectionId);
            }
            _runtime.Close(socket, CloseCodes.InternalError, "Room handler failed");
        }
    }

    /// <summary>
    /// Runs a behaviour handler under the handler timeout. A running handler holds the room's thread and cannot be
    /// interrupted, so one that overran fails when it returns, and its caller undoes its effects as for a throw.
    /// </summary>
    private T Timed<T>(string handlerName, Func<T> handler)
    {
        var started = Stopwatch.GetTimestamp();
        var result = handler();
        var elapsed = Stopwatch.GetElapsedTime(started);
        if (elapsed > _settings.HandlerTimeout)
        {
            throw new TimeoutException(
                $"{handlerName} ran for {elapsed.TotalMilliseconds:F0} ms, over the handler timeout of {_settings.HandlerTimeout.TotalMilliseconds:F0} ms");
        }
        return result;
    }

    private void Timed(string handlerName, Action handler) => Timed(handlerName, () =>
    {
        handler();
        return true;
    });

    /// <summary>Persists what the handler recorded, then releases its frames (and <paramref name="afterPersist"/>).</summary>
    private void Commit(Action? afterPersist = null)
    {
        ArmAlarm();
        if (!_runtime.HasPendingEvents)
        {
            _runtime.FlushEffects();
            afterPersist?.Invoke();
            return;
        }

        var (events, effects) = _runtime.DetachPending();
        var writing = Stopwatch.StartNew();
        PersistAll(events, _ => { });
        DeferAsync(effects, released =>
        {
            _counters.JournalWritten(writing.Elapsed);
            _runtime.ApplyEffects(released);
            afterPersist?.Invoke();
            if (!_snapshotInFlight && LastSequenceNr - _snapshotSequenceNr >= _settings.SnapshotEvery)
                TakeSnapshot();
        });
    }

    /// <summary>Keeps the room's timer (and the manager, which wakes a sleeping room) in step with the alarm in its state.</summary>
    private void ArmAlarm()
    {
        var at = _runtime.State.Alarm;
        if (at == _armedAlarm)
            return;
        _armedAlarm = at;
        if (at is { } due)
        {
            var delay = due - DateTimeOffset.UtcNow;
            Timers.StartSingleTimer(AlarmTimer, AlarmDue.Instance, delay > TimeSpan.Zero ? delay : TimeSpan.Zero);
        }
        else
        {
            Timers.Cancel(AlarmTimer);
        }
        _hosting.Observer(Context).Tell(new AlarmScheduled(_roomName, at));
    }

    private void FireAlarm()
    {
        _hibernating = false;
        if (_runtime.State.Alarm is not { } due)
            return;
        if (due > DateTimeOffset.UtcNow)
        {
            _armedAlarm = null;
            ArmAlarm();
            return;
        }

        _runtime.Mark();
        _runtime.AlarmFired(); // first, so the handler may set the next alarm
        try
        {
            Timed(nameof(IRoomBehaviour.OnAlarm), () => Behaviour.OnAlarm(new AlarmInvocation(due, _alarmRetries)));
            _alarmRetries = 0;
        }
        catch (Exception error)
        {
            _runtime.RollbackToMark();
            _alarmRetries++;
            if (_alarmRetries <= _settings.AlarmMaxRetries)
            {
                var backoff = _settings.AlarmBackoff * Math.Pow(2, _alarmRetries - 1);
                _log.Warning(error, "Room {Room}: alarm due {Due:o} failed (attempt {Attempt}); retrying in {Backoff}", _roomName, due, _alarmRetries, backoff);
                Timers.StartSingleTimer(AlarmTimer, AlarmDue.Instance, backoff);
                // Should the room sleep before the retry, the manager wakes it for it.
                _hosting.Observer(Context).Tell(new AlarmScheduled(_roomName, DateTimeOffset.UtcNow + backoff));
                return;
            }
            _log.Error(error, "Room {Room}: alarm due {Due:o} failed {Attempts} times; dropping it", _roomName, due, _alarmRetries);
            _alarmRetries = 0;
            _runtime.Mark();
            _runtime.AlarmFired();
        }
        Commit();
    }

    private void BeginHibernation(string why, bool handOff)
    {
        _hibernating = true;
        _handingOff = handOff;
        _log.Debug("Room {Room}: hibernating ({Reason})", _roomName, why);
        ContinueHibernation();
    }

    /// <summary>Snapshot what is not yet covered, wait for its clean-up, then ask the manager to stop this room.</summary>
    private void ContinueHibernation()
    {
        if (!_hibernating || _snapshotInFlight || _deletesInFlight > 0)
            return; // a snapshot or its clean-up is still running; its answer continues here
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

    private void OnDeleteAnswered()
    {
        _deletesInFlight--;
        ContinueHibernation();
    }

    /// <summary>
    /// Sockets held by other nodes (cluster mode): watch each node's edge actor once, since its node's death ends
    /// them, and after a wake ask it which of them ended while no incarnation could hear it.
    /// </summary>
    private void FollowRemoteSockets(IEnumerable<RoomWebSocket> sockets, bool probe)
    {
        var byEdge = sockets
            .Where(socket => socket.Channel is RemoteClientChannel)
            .GroupBy(socket => ((RemoteClientChannel)socket.Channel).Edge);
        foreach (var edge in byEdge)
        {
            if (_watchedEdges.Add(edge.Key))
                Context.Watch(edge.Key);
            if (probe)
                edge.Key.Tell(new EdgeProtocol.ProbeSessions(_roomName, edge.Select(socket => socket.ConnectionId).ToArray()));
        }
    }

    /// <summary>The node holding some of the room's sockets is gone, and its sockets with it: close them as vanished.</summary>
    private void OnEdgeGone(IActorRef edge)
    {
        _watchedEdges.Remove(edge);
        var lost = _runtime.LiveSockets
            .Where(socket => socket.Channel is RemoteClientChannel remote && remote.Edge.Equals(edge))
            .Select(socket => socket.ConnectionId)
            .ToList();
        _log.Warning("Room {Room}: the node holding {Count} of its sockets is gone ({Node}); closing them with 1006", _roomName, lost.Count, edge.Path.Address);
        foreach (var connectionId in lost)
            CloseSession(connectionId, CloseCodes.Abnormal, "The node holding the socket is gone", false);
    }

    private IRoomBehaviour Behaviour =>
        _behaviour ?? throw new InvalidOperationException("Room behaviour is made when recovery completes");
}
