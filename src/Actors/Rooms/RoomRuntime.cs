using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using Akka.Actor;
using AkkaHibernation.Actors.Behaviours;
using AkkaHibernation.Actors.Cluster;
using AkkaHibernation.Actors.Connections;
using AkkaHibernation.Actors.Hibernation;
using AkkaHibernation.Actors.Serialization;
using AkkaHibernation.Actors.Sessions;
using AkkaHibernation.Ids;
using static AkkaHibernation.Actors.Rooms.RoomEvents;

namespace AkkaHibernation.Actors.Rooms;

/// <summary>
/// The live side of one room incarnation and the behaviour's <see cref="IRoomContext"/>. Calls from the behaviour
/// apply events to <see cref="State"/> at once (so the handler sees its own writes) and queue them with the
/// frames they cause; the actor persists the events and only then lets the frames out, so no client ever sees
/// the effect of a write the journal could still lose.
/// </summary>
internal sealed class RoomRuntime(
    RoomKey room,
    HibernationSettings settings,
    IClientChannelRegistry registry,
    Action requestConnectionFlush) : IRoomContext
{
    /// <summary>A command for one session's socket, released after the events recorded before it are persisted.</summary>
    public readonly record struct Effect(RoomWebSocket Target, ChannelCommand Command);

    private readonly Dictionary<ConnectionId, RoomWebSocket> _live = new();
    private List<IRoomEvent> _events = [];
    private List<Effect> _effects = [];
    private readonly List<RoomWebSocket> _acceptedSinceMark = [];
    private RoomWebSocket[]? _ordered;
    private RoomState _stateAtMark = RoomState.Empty;
    private int _eventsAtMark;
    private int _effectsAtMark;

    // A broadcast sends one string to many sockets: encode it once.
    private string? _lastText;
    private ChannelCommand.Deliver? _lastDelivery;

    private RoomStorage? _storage;
    private readonly EdgeOutbox _edges = new();
    private readonly ConnectionOutbox _connections = new(requestConnectionFlush);

    public RoomState State { get; private set; } = RoomState.Empty;

    public IRoomStorage Storage => _storage ??= new RoomStorage(() => State, Record, settings);

    public string RoomName => room.Name;

    public string? RoomType => room.Type;

    public int LiveCount => _live.Count;

    /// <summary>The sessions with a live socket, in no particular order.</summary>
    public IEnumerable<RoomWebSocket> LiveSockets => _live.Values;

    public bool HasPendingEvents => _events.Count > 0;

    public void Restore(RoomSnapshot snapshot) => State = RoomState.FromSnapshot(snapshot);

    public void Replay(IRoomEvent evt) => State = State.Apply(evt);

    /// <summary>
    /// Matches recovered sessions with the transport: a session whose socket is gone is recorded as closed
    /// (1006); each other one is attached to its channel. Returns how many were gone, and the sockets that have
    /// ended but whose close the room has not handled yet (the room closes those once its behaviour exists).
    /// </summary>
    public (int Gone, IReadOnlyList<(RoomWebSocket Socket, ChannelEnd End)> Ended) Reconcile()
    {
        var gone = 0;
        var ended = new List<(RoomWebSocket, ChannelEnd)>();
        var attached = new List<RoomWebSocket>(State.Sessions.Count);
        // Sized once: growing it step by step allocates about as much again as the final map, on every wake.
        _live.EnsureCapacity(State.Sessions.Count);
        // A copy of the sessions of the state as it is now, so recording closes below cannot disturb the loop.
        foreach (var session in State.SessionsInOrder())
        {
            var channel = registry.Find(session.ConnectionId, session.Edge);
            if (channel is null)
            {
                Record(new SessionClosed(session.ConnectionId, CloseCodes.Abnormal, "Socket gone while the room slept", false));
                gone++;
                continue;
            }
            var socket = Attach(session, channel);
            attached.Add(socket);
            if (channel.Ended is { } end)
                ended.Add((socket, end));
        }
        // Already in acceptance order: the behaviour's first GetWebSockets (the constructor of the seed's room (the reference Worker and Durable Object this server ports)) need not sort.
        _ordered = attached.ToArray();
        return (gone, ended);
    }

    public RoomWebSocket? Find(ConnectionId connectionId) => _live.GetValueOrDefault(connectionId);

    /// <summary>Removes a session whose peer closed and records that; returns its handle, or null if unknown.</summary>
    public RoomWebSocket? EndSession(ConnectionId connectionId, int code, string reason, bool wasClean)
    {
        if (!_live.Remove(connectionId, out var socket))
            return null;
        _ordered = null;
        socket.MarkPeerClosed(State.Sessions[connectionId].Attachment);
        Record(new SessionClosed(connectionId, code, reason, wasClean));
        return socket;
    }

    /// <summary>Confirms the socket's numbered messages up to <paramref name="upTo"/>, after the frames the handler sent.</summary>
    public void Acknowledge(RoomWebSocket socket, long upTo) => _effects.Add(new Effect(socket, new ChannelCommand.Acknowledge(upTo)));

    /// <summary>The room is done with the session: queues the effect that lets the transport forget the socket.</summary>
    public void ReleaseSession(RoomWebSocket socket) => _effects.Add(new Effect(socket, ChannelCommand.Release.Instance));

    /// <summary>Starts a handler turn that <see cref="RollbackToMark"/> can undo.</summary>
    public void Mark()
    {
        _stateAtMark = State;
        _eventsAtMark = _events.Count;
        _effectsAtMark = _effects.Count;
        _acceptedSinceMark.Clear();
    }

    /// <summary>Undoes everything the handler did since <see cref="Mark"/>: state, events, frames, accepted sockets.</summary>
    public void RollbackToMark()
    {
        State = _stateAtMark;
        _events.RemoveRange(_eventsAtMark, _events.Count - _eventsAtMark);
        _effects.RemoveRange(_effectsAtMark, _effects.Count - _effectsAtMark);
        foreach (var socket in _acceptedSinceMark)
            _live.Remove(socket.ConnectionId);
        _acceptedSinceMark.Clear();
        _ordered = null;
    }

    public bool AcceptedSinceMark(IHibernatableWebSocket socket) => _acceptedSinceMark.Contains(socket);

    /// <summary>Hands over the queued events and effects for the actor to persist and then release.</summary>
    public (List<IRoomEvent> Events, List<Effect> Effects) DetachPending()
    {
        var pending = (_events, _effects);
        _events = [];
        _effects = [];
        return pending;
    }

    /// <summary>Applies the queued effects at once; only valid when no events are pending.</summary>
    public void FlushEffects()
    {
        ApplyEffects(_effects);
        _effects.Clear();
    }

    /// <summary>
    /// Applies effects in the order issued, gathered into one message per receiver: for this node's sockets, to each
    /// session's connection actor, sent at the room's next flush (<see cref="FlushConnections"/>), or to the socket
    /// itself while it has none; for other nodes' sockets (cluster mode), to each node's edge, sent now.
    /// </summary>
    public void ApplyEffects(List<Effect> effects)
    {
        foreach (var (target, command) in effects)
        {
            if (_edges.TryAdd(target.Channel, command))
            {
                // The edge carries out a remote socket's commands; its connection actor only ordered its messages.
                if (command is ChannelCommand.Release && target.Connection is { } connection)
                {
                    connection.Tell(PoisonPill.Instance);
                    target.Connection = null;
                }
            }
            else if (!_connections.TryAdd(target, command))
                command.ApplyTo(target.Channel);
        }
        _edges.Send();
        _connections.Released();
    }

    /// <summary>Sends the connection actors what the effects released since the last flush queued for them.</summary>
    public void FlushConnections() => _connections.Send();

    public IHibernatableWebSocket AcceptWebSocket(ConnectRequest request, IEnumerable<string>? tags = null)
    {
        if (request.Room != room)
            throw new InvalidOperationException($"Request for room '{request.Room}' cannot be accepted by room '{room}'");
        if (_live.ContainsKey(request.ConnectionId))
            throw new InvalidOperationException($"Connection {request.ConnectionId} is already accepted");
        var channel = registry.Find(request.ConnectionId, request.Edge)
                      ?? throw new InvalidOperationException($"Connection {request.ConnectionId} is gone");
        var accepted = tags?.ToImmutableArray() ?? [];
        if (accepted.Length > settings.MaxTagsPerSocket)
            throw new ArgumentException($"A socket may carry {settings.MaxTagsPerSocket} tags, got {accepted.Length}", nameof(tags));
        if (accepted.FirstOrDefault(tag => tag.Length == 0 || Encoding.UTF8.GetByteCount(tag) > settings.MaxTagBytes) is { } badTag)
            throw new ArgumentException($"Tag '{badTag}' must be 1 to {settings.MaxTagBytes} UTF-8 bytes", nameof(tags));

        Record(new SessionOpened(request.ConnectionId, DateTimeOffset.UtcNow, accepted, request.Edge));
        var socket = Attach(State.Sessions[request.ConnectionId], channel);
        _acceptedSinceMark.Add(socket);
        return socket;
    }

    public IReadOnlyList<IHibernatableWebSocket> GetWebSockets(string? tag = null)
    {
        _ordered ??= _live.Values.OrderBy(s => s.Ordinal).ToArray();
        return tag is null ? _ordered : _ordered.Where(s => s.Tags.Contains(tag)).ToArray();
    }

    public void SetWebSocketAutoResponse(AutoResponsePair? pair)
    {
        if (pair == State.AutoResponse)
            return;
        foreach (var text in pair is null ? [] : new[] { pair.Request, pair.Response })
        {
            var bytes = Encoding.UTF8.GetByteCount(text);
            if (bytes > settings.MaxAutoResponseBytes)
                throw new ArgumentException(
                    $"Auto-response texts may be {settings.MaxAutoResponseBytes} UTF-8 bytes; one is {bytes}", nameof(pair));
        }
        Record(new AutoResponseChanged(pair));
        foreach (var socket in _live.Values)
            _effects.Add(new Effect(socket, new ChannelCommand.UseAutoResponse(pair)));
    }

    public AutoResponsePair? GetWebSocketAutoResponse() => State.AutoResponse;

    public DateTimeOffset? GetWebSocketAutoResponseTimestamp(IHibernatableWebSocket socket) =>
        _live.GetValueOrDefault(socket.ConnectionId)?.Channel.LastAutoResponseAt;

    public IReadOnlyList<string> GetTags(IHibernatableWebSocket socket) => socket.Tags;

    public void SetAlarm(DateTimeOffset at) => Record(new AlarmSet(at));

    public DateTimeOffset? GetAlarm() => State.Alarm;

    public void DeleteAlarm()
    {
        if (State.Alarm is not null)
            Record(new AlarmDeleted());
    }

    /// <summary>The alarm fires: it is deleted first, so the handler may set the next one.</summary>
    public void AlarmFired() => Record(new AlarmDeleted());

    public void Send(RoomWebSocket socket, string text)
    {
        if (!ReferenceEquals(text, _lastText))
        {
            _lastText = text;
            _lastDelivery = new ChannelCommand.Deliver(OutboundFrame.Text(text));
        }
        _effects.Add(new Effect(socket, _lastDelivery!));
    }

    public void Send(RoomWebSocket socket, ReadOnlyMemory<byte> data) =>
        _effects.Add(new Effect(socket, new ChannelCommand.Deliver(OutboundFrame.Binary(data.ToArray()))));

    public void Close(RoomWebSocket socket, int code, string reason)
    {
        // The seed closes with the peer's code, which may be 1005/1006: the socket is already done then, and the
        // transport turns the close into a no-op rather than a frame, so only codes for a live socket are checked.
        var peerCodeAfterPeerClose = socket.PeerClosed && !CloseCodes.IsSendable(code);
        if (!peerCodeAfterPeerClose && CloseCodes.Validate(code, reason) is { } error)
            throw new ArgumentException(error, nameof(code));
        _effects.Add(new Effect(socket, new ChannelCommand.Close(code, reason)));
    }

    public void SetAttachment<T>(RoomWebSocket socket, T value)
    {
        if (socket.PeerClosed)
            throw new InvalidOperationException($"Socket {socket.ConnectionId} is closed; its attachment can no longer change");
        var bytes = JsonSerializer.SerializeToUtf8Bytes(value, JournalSerializer.JsonOptions);
        if (bytes.Length > settings.MaxAttachmentBytes)
            throw new ArgumentException(
                $"Attachment is {bytes.Length} bytes serialized; the limit is {settings.MaxAttachmentBytes} bytes",
                nameof(value));
        using var document = JsonDocument.Parse(bytes);
        JsonElement? attachment = document.RootElement.ValueKind == JsonValueKind.Null ? null : document.RootElement.Clone();
        Record(new AttachmentChanged(socket.ConnectionId, attachment));
    }

    public T? GetAttachment<T>(RoomWebSocket socket)
    {
        var attachment = State.Sessions.TryGetValue(socket.ConnectionId, out var session) ? session.Attachment : socket.AttachmentAtClose;
        return attachment is { } json ? json.Deserialize<T>(JournalSerializer.JsonOptions) : default;
    }

    private void Record(IRoomEvent evt)
    {
        State = State.Apply(evt);
        _events.Add(evt);
    }

    private RoomWebSocket Attach(Session session, IClientChannel channel)
    {
        var socket = new RoomWebSocket(this, session.ConnectionId, session.Ordinal, channel, session.Tags);
        _live[session.ConnectionId] = socket;
        _ordered = null;
        return socket;
    }
}
