using System.Net.Sockets;
using Akka.Actor;
using AkkaHibernation.Actors.Behaviours;
using AkkaHibernation.Actors.Rooms;
using AkkaHibernation.Actors.Sessions;
using AkkaHibernation.Ids;
using AkkaHibernation.Transport.Access;
using AkkaHibernation.Transport.Compression;
using AkkaHibernation.Transport.Framing;
using AkkaHibernation.Transport.Takeover;
using Microsoft.Extensions.Logging;
using static AkkaHibernation.Actors.Rooms.RoomProtocol;

namespace AkkaHibernation.Transport.Sockets;

/// <summary>
/// One client socket, owned by the transport for its whole life (rooms come and go around it). After the upgrade the
/// transport speaks RFC 6455 on the TCP socket itself, because .NET's WebSocket cannot tell a close without status from
/// a 1000 close, nor send one. The channel puts the parts together: its <see cref="FrameReader"/> hands over frames and
/// messages, which go to the room through its <see cref="IInboundSink"/>, or are answered here (pings, and the room's
/// auto-response through its <see cref="AutoResponder"/>); its <see cref="OutboundWriter"/> writes what the room sends; its <see cref="CloseHandshake"/> says
/// where the close stands. It reports the end of the socket to its room exactly once, whoever ended it (the peer, the
/// room, a protocol error, a dead peer, a slow consumer), so the room's session map never keeps a socket that is gone.
/// Only a single node's shutdown is not reported, and a socket handed over to another process (<see cref="HandOver"/>)
/// is not ended at all: its reader and writer park at safe points (<see cref="PauseReadingAsync"/>,
/// <see cref="PauseWritingAsync"/>), what it holds is taken as plain data (<see cref="Capture"/>), and the adopting
/// process runs it on from there (<see cref="RunAsync"/> with that data).
/// </summary>
internal sealed class WebSocketChannel : IClientChannel
{
    private readonly RoomKey _room;
    private readonly IActorRef _manager;
    private readonly IInboundSink _inbound;
    private readonly TransportSettings _settings;
    private readonly ClientChannelRegistry _registry;
    private readonly TransportCounters _counters;
    private readonly ILogger _log;
    private readonly OutboundWriter _outbound;
    private readonly CloseHandshake _close = new();
    private readonly Heartbeat _heartbeat = new();
    private readonly AutoResponder _autoResponder = new();
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly FreezeGate _reading = new();
    private Socket? _socket;
    private System.Net.IPAddress? _client;
    private SocketReader? _bytes; // read by Capture only while the reader is parked
    private FrameReader? _frames; // likewise
    private int _peerCloseCode;
    private int _released;
    private int _reported;
    private volatile ChannelEnd? _ended;
    private volatile bool _quietShutdown;

    /// <summary>
    /// A socket of room <paramref name="room"/> whose messages go to <paramref name="inbound"/>; the
    /// <paramref name="manager"/> hears how it ended. <paramref name="deflate"/>: permessage-deflate was negotiated.
    /// </summary>
    public WebSocketChannel(
        ConnectionId connectionId,
        RoomKey room,
        IActorRef manager,
        IInboundSink inbound,
        TransportSettings settings,
        ClientChannelRegistry registry,
        TransportCounters counters,
        ILogger log,
        bool deflate = false)
    {
        ConnectionId = connectionId;
        Deflate = deflate;
        _room = room;
        _manager = manager;
        _inbound = inbound;
        _settings = settings;
        _registry = registry;
        _counters = counters;
        _log = log;
        _outbound = new OutboundWriter(settings.OutboundQueueFrames, deflate ? settings.Compression : null, counters, log, connectionId, room);
    }

    public ConnectionId ConnectionId { get; }

    public RoomKey Room => _room;

    /// <summary>Whether permessage-deflate was negotiated: inbound messages may be compressed, outbound ones are when large enough.</summary>
    public bool Deflate { get; }

    /// <summary>Completes when the TCP connection is gone.</summary>
    public Task Finished => _finished.Task;

    public ChannelEnd? Ended => _ended;

    public DateTimeOffset? LastAutoResponseAt => _autoResponder.LastAnsweredAt;

    /// <summary>The socket runs (upgraded) and neither side has started closing: it may be handed over.</summary>
    public bool IsOpenAndRunning => _socket is not null && _close.IsOpen;

    public void Send(OutboundFrame frame)
    {
        if (_close.AcceptsFrames)
            Enqueue(OutboundItem.Data(frame));
    }

    public void Close(int code, string reason)
    {
        if (_close.TryBeginClosing())
            QueueClose(code, reason);
    }

    public void SetAutoResponse(AutoResponsePair? pair) => _autoResponder.Set(pair);

    public void Acknowledge(long upTo) => _inbound.Acknowledge(upTo);

    public void Release()
    {
        if (Interlocked.Exchange(ref _released, 1) == 1)
            return;
        _registry.Remove(ConnectionId);
        // The room handled the peer's close without answering it: complete the handshake with the peer's code.
        if (_close.AwaitsAnswer)
            Close(_peerCloseCode, "");
    }

    /// <summary>The upgrade never completed: tell the room the socket is gone.</summary>
    public void Abandon()
    {
        ReportClosed(CloseCodes.Abnormal, "", wasClean: false);
        Finish();
    }

    /// <summary>
    /// Server shutdown: close with 1001. With <paramref name="tellRoom"/> off the room is not woken (on a single node
    /// rooms hibernate for the shutdown and prune the session on restart); in cluster mode the room lives on, on
    /// another node, and is told.
    /// </summary>
    public Task CloseForShutdownAsync(bool tellRoom)
    {
        _quietShutdown = !tellRoom;
        Close(CloseCodes.GoingAway, "Server is shutting down");
        return Finished;
    }

    /// <summary>
    /// Called by the server's heartbeat sweep: pings a socket that has been silent for the interval, and drops one
    /// that stayed silent for the timeout after its ping (a half-open TCP connection), reporting it as 1006.
    /// </summary>
    public void CheckHeartbeat(long now)
    {
        if (_socket is null || _close.IsClosingOrDone || _reading.IsAsked)
            return; // not upgraded yet, a close handshake with its own timeout is under way, or parked for a hand-over
        switch (_heartbeat.Check(now, _settings.HeartbeatInterval, _settings.HeartbeatTimeout))
        {
            case Heartbeat.Verdict.Ping:
                _counters.HeartbeatPinged();
                Enqueue(OutboundItem.Ping());
                break;
            case Heartbeat.Verdict.Dead:
                _counters.DeadPeerDropped();
                _log.LogInformation("Connection {ConnectionId} in room {Room} did not answer a heartbeat ping; dropping it (1006)",
                    ConnectionId, _room);
                ReportClosed(CloseCodes.Abnormal, "No answer to the heartbeat ping", wasClean: false);
                Finish();
                break;
        }
    }

    /// <summary>
    /// Cluster mode: sends again the messages the room has not confirmed for <paramref name="after"/> (its node may
    /// have died with them); returns how many.
    /// </summary>
    public int RedeliverOverdue(long now, TimeSpan after) => _inbound.RedeliverOverdue(now, after);

    /// <summary>
    /// Runs the upgraded socket of <paramref name="client"/>: starts the outbound writer, then reads frames until the
    /// socket ends or is handed over, and gives its connection-limit slot back to <paramref name="slots"/>.
    /// <paramref name="adopted"/>: the socket comes from another process, which stopped it with this state.
    /// </summary>
    /// <remarks>
    /// An idle socket waits in here for its next frame, and every async method that waits keeps its state on the heap
    /// for as long as the socket is idle; so the whole read loop, its error handling and the slot's release are one
    /// method, not a chain of them (measured with a heap dump: 224 bytes of state instead of 464 in the three methods it was).
    /// </remarks>
    public async Task RunAsync(Socket socket, System.Net.IPAddress client, ConnectionLimiter slots, ChannelHandover? adopted = null)
    {
        var handedOver = false;
        SocketReader? bytes = null;
        FrameReader? frames = null;
        try
        {
            Start(socket, client, adopted);
            bytes = _bytes = new SocketReader(socket, _settings.ReceiveBufferBytes);
            if (adopted is not null)
                bytes.Preload(adopted.Unparsed);
            frames = _frames = new FrameReader(bytes, _settings.MaxMessageBytes, Deflate, _heartbeat);
            if (adopted?.Unfinished is { } unfinished)
                frames.Continue(unfinished);
            try
            {
                while (true)
                {
                    // An idle socket waits here, with no frame read begun.
                    await frames.WaitForFrameAsync(_reading);
                    var frame = await frames.ReadAsync(_reading);
                    if (frame.Opcode == Opcode.Close)
                    {
                        OnPeerClose(frame.Payload.Span);
                        break;
                    }
                    Handle(frame);
                }
                // The peer's close has arrived; our close frame follows the frames queued before it.
                await Task.WhenAny(_outbound.CloseSent, Task.Delay(_settings.CloseHandshakeTimeout * 2));
            }
            catch (SocketHandedOverException)
            {
                handedOver = true; // another process reads this socket now; nothing here may touch it
            }
            catch (ProtocolViolation violation)
            {
                Fail(violation.Code, violation.Reason);
                await Task.WhenAny(_outbound.CloseSent, Task.Delay(_settings.CloseHandshakeTimeout));
            }
            catch (Exception error) when (error is SocketException or EndOfStreamException or ObjectDisposedException or IOException)
            {
                if (_close.MarkDone())
                    _log.LogInformation("Connection {ConnectionId} in room {Room} dropped without a close frame (1006)", ConnectionId, _room);
                ReportClosed(CloseCodes.Abnormal, "", wasClean: false);
            }
        }
        catch (Exception error)
        {
            _log.LogError(error, "Connection {ConnectionId} in room {Room} failed", ConnectionId, _room);
        }
        finally
        {
            frames?.Dispose();
            bytes?.Dispose();
            if (!handedOver)
                Finish();
            slots.Release(client);
        }
    }

    /// <summary>The socket's first steps, before its first read: counted, logged (or its adopted state restored), its writer started.</summary>
    private void Start(Socket socket, System.Net.IPAddress client, ChannelHandover? adopted)
    {
        _socket = socket;
        _client = client;
        _counters.ConnectionOpened();
        if (adopted is null)
        {
            _log.LogInformation("Connection {ConnectionId} from {Client} opened in room {Room} ({Compression})",
                ConnectionId, client, _room, Deflate ? DeflateNegotiation.ExtensionName : "uncompressed");
        }
        else
        {
            _autoResponder.Restore(adopted.AutoResponse, adopted.LastAutoResponseAt);
            _outbound.Preload(adopted.Unsent, adopted.Queued.Select(frame =>
                new OutboundItem(frame.Opcode, frame.Payload, frame.CloseCode, frame.Compressed)));
        }
        _outbound.Start(socket);
    }

    /// <summary>Parks the reader at its next frame boundary (at once if it waits at one).</summary>
    public Task PauseReadingAsync() => _reading.ParkAsync();

    /// <summary>Parks the writer between writes, or between the pieces of a large one.</summary>
    public Task PauseWritingAsync() => _outbound.Gate.ParkAsync();

    /// <summary>
    /// The parked channel's state, for the process that takes the socket over; null when it cannot be handed over
    /// (a loop is not parked, or a close has started: that socket finishes here).
    /// </summary>
    public ChannelHandover? Capture()
    {
        if (!_close.IsOpen || !_reading.IsParked || !_outbound.Gate.IsParked || _client is null)
            return null;
        var (unsent, queued) = _outbound.TakeUnwritten();
        return new ChannelHandover(ConnectionId, _room, _client.ToString(), Deflate, _autoResponder.Pair, _autoResponder.LastAnsweredAt,
            _bytes?.Buffered ?? [], _frames?.Unfinished, unsent,
            queued.Select(item => new QueuedFrame(item.Opcode, item.Payload.ToArray(), item.CloseCode, item.Compressed)).ToList());
    }

    /// <summary>Where the reader and the writer stand in a hand-over, for the logs.</summary>
    public string FreezeState => $"reader {_reading}, writer {_outbound.Gate}";

    /// <summary>The socket's descriptor, to pass to the process taking it over.</summary>
    public int Descriptor => (int)(_socket ?? throw new InvalidOperationException("The channel does not run")).SafeHandle.DangerousGetHandle();

    /// <summary>The hand-over was abandoned: reading and writing go on where they stopped.</summary>
    public void Resume()
    {
        _reading.Resume();
        _outbound.Gate.Resume();
    }

    /// <summary>
    /// Another process has adopted the socket: its loops stop where they are parked, it leaves the registry, and this
    /// process never touches it again. Our copy of the descriptor is left open until the process exits: .NET closes a
    /// socket that still has an operation pending (the parked zero-byte receive) abortively, setting SO_LINGER to zero
    /// on the socket both processes share, and its finalizer would do the same; so the finalizer is suppressed too.
    /// </summary>
    public void HandOver()
    {
        _reading.HandOver();
        _outbound.Gate.HandOver();
        _registry.Remove(ConnectionId);
        if (_socket is not null)
            GC.SuppressFinalize(_socket.SafeHandle);
        _counters.ConnectionHandedOver();
    }

    /// <summary>Answers a control frame other than a close, or hands a data message on.</summary>
    private void Handle(InboundFrame frame)
    {
        switch (frame.Opcode)
        {
            case Opcode.Ping:
                Enqueue(OutboundItem.Pong(frame.Payload));
                break;
            case Opcode.Pong:
                break; // a pong needs no answer
            default:
                if (_close.IsOpen)
                    Dispatch(frame.Payload.Span, frame.Opcode);
                break;
        }
    }

    private void Dispatch(ReadOnlySpan<byte> payload, Opcode type)
    {
        if (type == Opcode.Binary)
        {
            Forward(RoomMessage.FromBinary(payload.ToArray()));
            return;
        }

        var text = StrictUtf8.Decode(payload, "Text message is not valid UTF-8");
        if (_autoResponder.TryAnswer(text, out var reply))
        {
            Enqueue(reply);
            _counters.AutoResponded();
            return;
        }
        Forward(RoomMessage.FromText(text));
    }

    private void Forward(RoomMessage message)
    {
        _counters.FrameIn();
        if (_inbound.TrySend(_room, ConnectionId, message))
            return;
        _log.LogWarning("Connection {ConnectionId} in room {Room}: {Limit} messages not yet confirmed by the room; closing with 1013",
            ConnectionId, _room, _settings.MaxUnacknowledgedMessages);
        Close(CloseCodes.TryAgainLater, "Room is not keeping up; reconnect later");
    }

    private void OnPeerClose(ReadOnlySpan<byte> payload)
    {
        if (ClosePayload.Parse(payload) is not { } peer)
        {
            // No code to echo: answer with a close frame without a status code at once.
            if (_close.TryCloseFromOpen())
                QueueClose(CloseCodes.NoStatus, "");
            ReportClosed(CloseCodes.NoStatus, "", wasClean: true);
            return;
        }
        var code = peer.Code;
        _peerCloseCode = code;
        // Reported either way: the peer started the close (the room answers it), or answered ours.
        ReportClosed(code, peer.Reason, wasClean: true);
        if (_close.TryPeerClose())
        {
            // If the room never answers (it failed, or is far too slow to wake), answer for it.
            _ = Task.Delay(_settings.CloseHandshakeTimeout).ContinueWith(_ => Close(code, ""), TaskScheduler.Default);
        }
    }

    /// <summary>A protocol error or broken limit: tell the room, close with <paramref name="code"/>.</summary>
    private void Fail(int code, string reason)
    {
        if (!_close.TryBeginClosing())
            return;
        _log.LogWarning("Connection {ConnectionId} in room {Room}: closing with {Code}: {Reason}", ConnectionId, _room, code, reason);
        ReportClosed(code, reason, wasClean: false);
        QueueClose(code, reason);
    }

    private void QueueClose(int code, string reason)
    {
        Enqueue(OutboundItem.Close(code, reason));
        // The peer has this long to answer our close before the TCP connection is dropped.
        _ = Task.Delay(_settings.CloseHandshakeTimeout).ContinueWith(_ => Finish(), TaskScheduler.Default);
    }

    private void Enqueue(OutboundItem item)
    {
        if (_outbound.TryEnqueue(item) || !_close.TryBeginClosing())
            return; // queued, or already closing: frames for it no longer matter
        // The queue is full: the client does not read. Drop what is queued (memory stays bounded), tell the room,
        // and queue a 1008 close in the freed space; if the client never reads that either, the close handshake
        // timeout drops the connection.
        var reason = $"Slow consumer: {_settings.OutboundQueueFrames} frames queued";
        _counters.SlowConsumerClosed();
        _log.LogWarning("Connection {ConnectionId} in room {Room}: outbound queue of {Frames} frames is full; closing the slow consumer with 1008",
            ConnectionId, _room, _settings.OutboundQueueFrames);
        _outbound.DropQueued();
        ReportClosed(CloseCodes.PolicyViolation, reason, wasClean: false);
        QueueClose(CloseCodes.PolicyViolation, reason);
    }

    /// <summary>Tells the room how the socket ended: once, and not during a single node's shutdown.</summary>
    private void ReportClosed(int code, string reason, bool wasClean)
    {
        if (_quietShutdown || Interlocked.Exchange(ref _reported, 1) == 1)
            return;
        // Recorded before the report, so a room that wakes for any reason and finds this socket ended closes
        // its session even if this report is lost with an incarnation that failed.
        _ended = new ChannelEnd(code, reason, wasClean);
        _manager.Tell(new Closed(_room, ConnectionId, code, reason, wasClean));
    }

    /// <summary>Drops the TCP connection and ends the outbound stream; safe to call more than once.</summary>
    private void Finish()
    {
        _close.MarkDone();
        _outbound.Complete();
        TcpSocketAccess.Drop(_socket);
        if (_finished.TrySetResult())
        {
            if (_socket is not null)
                _counters.ConnectionEnded();
            // Stay findable a little longer so a sleeping room that wakes for our close report still finds us.
            _ = Task.Delay(_settings.CloseHandshakeTimeout).ContinueWith(_ => _registry.Remove(ConnectionId), TaskScheduler.Default);
        }
    }
}
