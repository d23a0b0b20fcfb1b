using System.Buffers;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using Akka;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using AkkaHibernation.Actors.Behaviours;
using AkkaHibernation.Actors.Rooms;
using AkkaHibernation.Actors.Sessions;
using Microsoft.Extensions.Logging;
using static AkkaHibernation.Actors.Rooms.RoomProtocol;

namespace AkkaHibernation.Transport.Sockets;

/// <summary>
/// One client socket, owned by the transport for its whole life (rooms come and go around it). It pumps inbound
/// messages to the hibernation manager, answers the room's auto-response itself, writes outbound frames from a
/// bounded queue (an Akka.Streams graph), completes close handshakes, and reports the end of the socket to its
/// room exactly once.
/// </summary>
internal sealed class WebSocketChannel : IClientChannel
{
    // Open → PeerClosed (peer sent a close with a code; waiting for the room's reply)
    //      → Closing (our close frame is queued or sent) → Done (TCP connection gone).
    private const int Open = 0, PeerClosed = 1, Closing = 2, Done = 3;

    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    private sealed record AutoResponse(AutoResponsePair Pair, OutboundItem Reply);

    private readonly string _roomName;
    private readonly IActorRef _manager;
    private readonly TransportSettings _settings;
    private readonly ClientChannelRegistry _registry;
    private readonly TransportCounters _counters;
    private readonly ILogger _log;
    private readonly Channel<OutboundItem> _outbound;
    private readonly TaskCompletionSource _closeSent = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile AutoResponse? _autoResponse;
    private WebSocket? _socket;
    private Socket? _tcp;
    private int _phase = Open;
    private int _peerCloseCode;
    private long _lastAutoResponseTicks;
    private int _released;

    public WebSocketChannel(
        string connectionId,
        string roomName,
        IActorRef manager,
        TransportSettings settings,
        ClientChannelRegistry registry,
        TransportCounters counters,
        ILogger log)
    {
        ConnectionId = connectionId;
        _roomName = roomName;
        _manager = manager;
        _settings = settings;
        _registry = registry;
        _counters = counters;
        _log = log;
        _outbound = Channel.CreateBounded<OutboundItem>(new BoundedChannelOptions(settings.OutboundQueueFrames)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public string ConnectionId { get; }

    /// <summary>Completes when the TCP connection is gone.</summary>
    public Task Finished => _finished.Task;

    public DateTimeOffset? LastAutoResponseAt
    {
        get
        {
            var ticks = Interlocked.Read(ref _lastAutoResponseTicks);
            return ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
        }
    }

    public void Send(OutboundFrame frame)
    {
        if (Volatile.Read(ref _phase) <= PeerClosed)
            Enqueue(OutboundItem.Data(frame));
    }

    public void Close(int code, string reason)
    {
        if (Interlocked.CompareExchange(ref _phase, Closing, Open) == Open
            || Interlocked.CompareExchange(ref _phase, Closing, PeerClosed) == PeerClosed)
        {
            QueueClose(code, reason);
        }
    }

    public void SetAutoResponse(AutoResponsePair? pair) =>
        _autoResponse = pair is null ? null : new AutoResponse(pair, OutboundItem.Data(OutboundFrame.Text(pair.Response)));

    public void Release()
    {
        if (Interlocked.Exchange(ref _released, 1) == 1)
            return;
        _registry.Remove(ConnectionId);
        // The room handled the peer's close without answering it: complete the handshake with the peer's code.
        if (Volatile.Read(ref _phase) == PeerClosed)
            Close(_peerCloseCode, "");
    }

    /// <summary>The upgrade never completed: tell the room the socket is gone.</summary>
    public void Abandon()
    {
        if (Interlocked.Exchange(ref _phase, Done) == Open)
            ReportClosed(CloseCodes.Abnormal, "", wasClean: false);
        Finish();
    }

    /// <summary>Server shutdown: close with 1001 without waking the room (its sessions are pruned on restart).</summary>
    public Task CloseForShutdownAsync()
    {
        Close(CloseCodes.GoingAway, "Server is shutting down");
        return Finished;
    }

    /// <summary>Runs the socket: starts the outbound stream and pumps inbound frames until the socket ends.</summary>
    public async Task RunAsync(WebSocket socket, Socket? tcp, IMaterializer materializer)
    {
        _socket = socket;
        _tcp = tcp;
        _log.LogInformation("Connection {ConnectionId} opened in room {Room}", ConnectionId, _roomName);
        _ = ChannelSource.FromReader(_outbound.Reader)
            .SelectAsync(1, WriteAsync)
            .RunWith(Sink.Ignore<NotUsed>(), materializer);

        var buffer = ArrayPool<byte>.Shared.Rent(_settings.ReceiveBufferBytes);
        try
        {
            await PumpAsync(socket, buffer);
            await AwaitCloseSentAsync();
        }
        catch (Exception error) when (error is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            OnReceiveFailed(socket, error);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            Finish();
        }
    }

    private async Task PumpAsync(WebSocket socket, byte[] buffer)
    {
        ArrayBufferWriter<byte>? assembly = null;
        long messageBytes = 0;
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                OnPeerClose(socket.CloseStatus, socket.CloseStatusDescription ?? "");
                return;
            }
            if (Volatile.Read(ref _phase) >= Closing)
                continue; // our close is on its way: discard data until the peer's close arrives

            messageBytes += received.Count;
            if (messageBytes > _settings.MaxMessageBytes)
            {
                assembly = null;
                Fail(CloseCodes.MessageTooBig,
                    $"Message of at least {messageBytes} bytes exceeds the limit of {_settings.MaxMessageBytes} bytes");
                continue;
            }

            var chunk = buffer.AsSpan(0, received.Count);
            if (!received.EndOfMessage)
            {
                assembly ??= new ArrayBufferWriter<byte>(Math.Max(buffer.Length * 2, 1));
                assembly.Write(chunk);
                continue;
            }
            if (assembly is null)
            {
                Dispatch(chunk, received.MessageType);
            }
            else
            {
                assembly.Write(chunk);
                Dispatch(assembly.WrittenSpan, received.MessageType);
                assembly = null; // a large message's buffer is not kept by an idle socket
            }
            messageBytes = 0;
        }
    }

    private void Dispatch(ReadOnlySpan<byte> payload, WebSocketMessageType type)
    {
        if (type == WebSocketMessageType.Binary)
        {
            _counters.FrameIn();
            _manager.Tell(new Inbound(_roomName, ConnectionId, RoomMessage.FromBinary(payload.ToArray())));
            return;
        }

        string text;
        try
        {
            text = StrictUtf8.GetString(payload);
        }
        catch (DecoderFallbackException)
        {
            Fail(CloseCodes.InvalidPayload, "Text message is not valid UTF-8");
            return;
        }

        if (_autoResponse is { } auto && text == auto.Pair.Request)
        {
            Enqueue(auto.Reply);
            Interlocked.Exchange(ref _lastAutoResponseTicks, DateTimeOffset.UtcNow.UtcTicks);
            _counters.AutoResponded();
            return;
        }
        _counters.FrameIn();
        _manager.Tell(new Inbound(_roomName, ConnectionId, RoomMessage.FromText(text)));
    }

    private void OnPeerClose(WebSocketCloseStatus? status, string reason)
    {
        if (status is null)
        {
            // No code to echo: answer with a close frame without a status code at once.
            if (Interlocked.CompareExchange(ref _phase, Closing, Open) == Open)
            {
                QueueClose(CloseCodes.NoStatus, "");
                ReportClosed(CloseCodes.NoStatus, "", wasClean: true);
            }
            return;
        }

        var code = (int)status.Value;
        _peerCloseCode = code;
        if (Interlocked.CompareExchange(ref _phase, PeerClosed, Open) == Open)
        {
            ReportClosed(code, reason, wasClean: true);
            // If the room never answers (it failed, or is far too slow to wake), answer for it.
            _ = Task.Delay(_settings.CloseHandshakeTimeout).ContinueWith(_ => Close(code, ""), TaskScheduler.Default);
        }
    }

    private void OnReceiveFailed(WebSocket socket, Exception error)
    {
        var previous = Interlocked.Exchange(ref _phase, Done);
        if (previous != Open)
            return; // the room already knows, or closed the socket itself
        // The WebSocket implementation validates UTF-8 itself and closes with 1007 before we see the bytes.
        var invalidUtf8 = socket.State == WebSocketState.Aborted && error.Message.Contains("UTF-8", StringComparison.OrdinalIgnoreCase);
        if (invalidUtf8)
            ReportClosed(CloseCodes.InvalidPayload, "Text message is not valid UTF-8", wasClean: false);
        else
            ReportClosed(CloseCodes.Abnormal, "", wasClean: false);
        _log.LogDebug(error, "Connection {ConnectionId} in room {Room} ended abruptly", ConnectionId, _roomName);
    }

    /// <summary>A protocol error on our side of the connection: tell the room, close with <paramref name="code"/>.</summary>
    private void Fail(int code, string reason)
    {
        if (Interlocked.CompareExchange(ref _phase, Closing, Open) != Open)
            return;
        _log.LogWarning("Connection {ConnectionId} in room {Room}: closing with {Code}: {Reason}", ConnectionId, _roomName, code, reason);
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
        if (_outbound.Writer.TryWrite(item))
            return;
        if (Volatile.Read(ref _phase) == Done)
            return;
        // The queue is full: the client does not read. Drop it rather than let memory grow.
        _counters.SlowConsumerClosed();
        _log.LogWarning("Connection {ConnectionId} in room {Room}: outbound queue of {Frames} frames is full; dropping the slow consumer",
            ConnectionId, _roomName, _settings.OutboundQueueFrames);
        if (Interlocked.Exchange(ref _phase, Done) == Open)
            ReportClosed(CloseCodes.PolicyViolation, $"Slow consumer: {_settings.OutboundQueueFrames} frames queued", wasClean: false);
        Finish();
    }

    private async Task<NotUsed> WriteAsync(OutboundItem item)
    {
        var socket = _socket!;
        try
        {
            if (!item.IsClose)
            {
                await socket.SendAsync(item.Frame.Payload,
                    item.Frame.IsText ? WebSocketMessageType.Text : WebSocketMessageType.Binary,
                    endOfMessage: true, CancellationToken.None);
                return NotUsed.Instance;
            }

            if (CloseCodes.IsSendable(item.CloseCode))
                await socket.CloseOutputAsync((WebSocketCloseStatus)item.CloseCode, item.CloseReason, CancellationToken.None);
            else
                await socket.CloseOutputAsync(WebSocketCloseStatus.Empty, null, CancellationToken.None);
            _log.LogInformation("Connection {ConnectionId} in room {Room} closed with {Code}", ConnectionId, _roomName, item.CloseCode);
        }
        catch (Exception error) when (error is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The socket is gone; the receive pump reports it.
        }
        finally
        {
            if (item.IsClose)
            {
                _outbound.Writer.TryComplete();
                _closeSent.TrySetResult();
            }
        }
        return NotUsed.Instance;
    }

    private async Task AwaitCloseSentAsync()
    {
        // The peer's close has arrived; our close frame follows the frames queued before it.
        await Task.WhenAny(_closeSent.Task, Task.Delay(_settings.CloseHandshakeTimeout * 2));
    }

    private void ReportClosed(int code, string reason, bool wasClean) =>
        _manager.Tell(new Closed(_roomName, ConnectionId, code, reason, wasClean));

    /// <summary>Drops the TCP connection and ends the outbound stream; safe to call more than once.</summary>
    private void Finish()
    {
        Interlocked.Exchange(ref _phase, Done);
        _outbound.Writer.TryComplete();
        _closeSent.TrySetResult();
        _socket?.Abort();
        TcpSocketAccess.Drop(_tcp);
        if (_finished.TrySetResult())
        {
            // Stay findable a little longer so a sleeping room that wakes for our close report still finds us.
            _ = Task.Delay(_settings.CloseHandshakeTimeout).ContinueWith(_ => _registry.Remove(ConnectionId), TaskScheduler.Default);
        }
    }
}
