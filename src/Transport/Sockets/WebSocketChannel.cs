using System.Buffers;
using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using Akka.Actor;
using AkkaHibernation.Actors.Behaviours;
using AkkaHibernation.Actors.Rooms;
using AkkaHibernation.Actors.Sessions;
using AkkaHibernation.Transport.Compression;
using AkkaHibernation.Transport.Framing;
using Microsoft.Extensions.Logging;
using static AkkaHibernation.Actors.Rooms.RoomProtocol;

namespace AkkaHibernation.Transport.Sockets;

/// <summary>
/// One client socket, owned by the transport for its whole life (rooms come and go around it). HttpListener does
/// the HTTP upgrade; from then on this class speaks RFC 6455 on the TCP socket itself, because .NET's WebSocket
/// cannot tell a close without status from a 1000 close, nor send one. It pumps inbound messages to the
/// hibernation manager, answers pings and the room's auto-response itself, writes outbound frames from a bounded
/// queue (a loop that coalesces a burst into one write), completes close handshakes, and reports the end of the
/// socket to its room exactly once, whoever ended it (the peer, the room, a protocol error, a dead peer), so the
/// room's session map never keeps a socket that is gone. Only a single node's shutdown is not reported.
/// </summary>
internal sealed class WebSocketChannel : IClientChannel
{
    // Open → PeerClosed (peer sent a close with a code; waiting for the room's reply)
    //      → Closing (our close frame is queued or sent) → Done (TCP connection gone).
    private const int Open = 0, PeerClosed = 1, Closing = 2, Done = 3;
    private const int MaxFramesPerWrite = 256;

    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    private sealed record AutoResponse(AutoResponsePair Pair, OutboundItem Reply);

    private readonly string _roomName;
    private readonly IActorRef _manager;
    private readonly TransportSettings _settings;
    private readonly ClientChannelRegistry _registry;
    private readonly TransportCounters _counters;
    private readonly ILogger _log;
    private readonly Channel<OutboundItem> _outbound;
    private readonly UnacknowledgedInbound? _unacknowledged;
    private readonly TaskCompletionSource _closeSent = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile AutoResponse? _autoResponse;
    private Socket? _socket;
    private int _phase = Open;
    private int _peerCloseCode;
    private long _lastAutoResponseTicks;
    private int _released;
    private int _reported;
    private volatile ChannelEnd? _ended;
    private volatile bool _quietShutdown;
    private long _lastHeard = Environment.TickCount64;
    private long _pingSentAt;

    /// <summary>A socket of room <paramref name="roomName"/>; <paramref name="deflate"/>: permessage-deflate was negotiated for it.</summary>
    public WebSocketChannel(
        string connectionId,
        string roomName,
        IActorRef manager,
        TransportSettings settings,
        ClientChannelRegistry registry,
        TransportCounters counters,
        ILogger log,
        bool clustered = false,
        bool deflate = false)
    {
        ConnectionId = connectionId;
        Deflate = deflate;
        _unacknowledged = clustered ? new UnacknowledgedInbound(settings.MaxUnacknowledgedMessages) : null;
        _roomName = roomName;
        _manager = manager;
        _settings = settings;
        _registry = registry;
        _counters = counters;
        _log = log;
        _outbound = Channel.CreateBounded<OutboundItem>(new BoundedChannelOptions(settings.OutboundQueueFrames)
        {
            SingleReader = false, // a slow consumer's queue is emptied from the producer side
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public string ConnectionId { get; }

    public string RoomName => _roomName;

    /// <summary>Whether permessage-deflate was negotiated: inbound messages may be compressed, outbound ones are when large enough.</summary>
    public bool Deflate { get; }

    /// <summary>Completes when the TCP connection is gone.</summary>
    public Task Finished => _finished.Task;

    public ChannelEnd? Ended => _ended;

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

    public void Acknowledge(long upTo) => _unacknowledged?.Acknowledge(upTo);

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
        if (_socket is null || Volatile.Read(ref _phase) >= Closing)
            return; // not upgraded yet, or a close handshake with its own timeout is under way
        var pingSentAt = Interlocked.Read(ref _pingSentAt);
        if (pingSentAt == 0)
        {
            if (now - Interlocked.Read(ref _lastHeard) < (long)_settings.HeartbeatInterval.TotalMilliseconds)
                return;
            Interlocked.Exchange(ref _pingSentAt, now);
            _counters.HeartbeatPinged();
            Enqueue(OutboundItem.Ping());
            return;
        }
        if (now - pingSentAt < (long)_settings.HeartbeatTimeout.TotalMilliseconds)
            return;
        _counters.DeadPeerDropped();
        _log.LogInformation("Connection {ConnectionId} in room {Room} did not answer a heartbeat ping; dropping it (1006)",
            ConnectionId, _roomName);
        ReportClosed(CloseCodes.Abnormal, "No answer to the heartbeat ping", wasClean: false);
        Finish();
    }

    /// <summary>Runs the upgraded socket: starts the outbound writer, then reads frames until the socket ends.</summary>
    public async Task RunAsync(Socket socket)
    {
        _socket = socket;
        _counters.ConnectionOpened();
        _log.LogInformation("Connection {ConnectionId} opened in room {Room} ({Compression})",
            ConnectionId, _roomName, Deflate ? DeflateNegotiation.ExtensionName : "uncompressed");
        _ = WriteLoopAsync();

        using var reader = new SocketReader(socket, _settings.ReceiveBufferBytes);
        try
        {
            await PumpAsync(reader);
            // The peer's close has arrived; our close frame follows the frames queued before it.
            await Task.WhenAny(_closeSent.Task, Task.Delay(_settings.CloseHandshakeTimeout * 2));
        }
        catch (ProtocolViolation violation)
        {
            Fail(violation.Code, violation.Reason);
            await Task.WhenAny(_closeSent.Task, Task.Delay(_settings.CloseHandshakeTimeout));
        }
        catch (Exception error) when (error is SocketException or EndOfStreamException or ObjectDisposedException or IOException)
        {
            if (Interlocked.Exchange(ref _phase, Done) != Done)
                _log.LogInformation("Connection {ConnectionId} in room {Room} dropped without a close frame (1006)", ConnectionId, _roomName);
            ReportClosed(CloseCodes.Abnormal, "", wasClean: false);
        }
        finally
        {
            Finish();
        }
    }

    /// <summary>Reads frames until the peer's close frame (returns) or a violation (throws).</summary>
    private async Task PumpAsync(SocketReader reader)
    {
        var header = new byte[8];
        var mask = new byte[4];
        byte[]? message = null;
        var messageLength = 0;
        var messageType = Opcode.Text;
        var messageCompressed = false;
        try
        {
            while (true)
            {
                await reader.ReadExactlyAsync(header.AsMemory(0, 2));
                Interlocked.Exchange(ref _lastHeard, Environment.TickCount64);
                Interlocked.Exchange(ref _pingSentAt, 0);
                var (frame, extended) = FrameHeader.ParseStart(header[0], header[1], Deflate);
                if (extended > 0)
                {
                    await reader.ReadExactlyAsync(header.AsMemory(0, extended));
                    frame = frame.WithExtendedLength(header.AsSpan(0, extended));
                }
                await reader.ReadExactlyAsync(mask);

                if (frame.Opcode.IsControl())
                {
                    var payload = new byte[frame.PayloadLength];
                    await reader.ReadExactlyAsync(payload);
                    FrameHeader.Unmask(payload, mask);
                    if (frame.Opcode == Opcode.Close)
                    {
                        OnPeerClose(payload);
                        return;
                    }
                    if (frame.Opcode == Opcode.Ping)
                        Enqueue(OutboundItem.Pong(payload));
                    continue; // a pong needs no answer
                }

                var continuing = frame.Opcode == Opcode.Continuation;
                if (continuing && message is null)
                    throw new ProtocolViolation(CloseCodes.ProtocolError, "Continuation frame without a message to continue");
                if (!continuing && message is not null)
                    throw new ProtocolViolation(CloseCodes.ProtocolError, "New data frame before the previous message was finished");

                var total = messageLength + frame.PayloadLength;
                if (total > _settings.MaxMessageBytes)
                {
                    var atLeast = frame.Fin && !continuing ? "" : "at least ";
                    throw new ProtocolViolation(CloseCodes.MessageTooBig,
                        $"Message of {atLeast}{total} bytes exceeds the limit of {_settings.MaxMessageBytes} bytes");
                }

                if (!continuing)
                    (messageType, messageCompressed) = (frame.Opcode, frame.Compressed);
                message = Grow(message, messageLength, (int)total);
                var chunk = message.AsMemory(messageLength, (int)frame.PayloadLength);
                await reader.ReadExactlyAsync(chunk);
                FrameHeader.Unmask(chunk.Span, mask);
                messageLength = (int)total;

                if (!frame.Fin)
                    continue;
                if (Volatile.Read(ref _phase) == Open)
                    Receive(message.AsSpan(0, messageLength), messageType, messageCompressed);
                ArrayPool<byte>.Shared.Return(message);
                message = null;
                messageLength = 0;
            }
        }
        finally
        {
            if (message is not null)
                ArrayPool<byte>.Shared.Return(message);
        }
    }

    private static byte[] Grow(byte[]? buffer, int used, int needed)
    {
        if (buffer is not null && buffer.Length >= needed)
            return buffer;
        var grown = ArrayPool<byte>.Shared.Rent(Math.Max(needed, (buffer?.Length ?? 0) * 2));
        if (buffer is not null)
        {
            buffer.AsSpan(0, used).CopyTo(grown);
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return grown;
    }

    /// <summary>A whole message has arrived: inflates it if it is compressed, then dispatches it.</summary>
    private void Receive(ReadOnlySpan<byte> payload, Opcode type, bool compressed)
    {
        if (!compressed)
        {
            Dispatch(payload, type);
            return;
        }
        InflatedMessage inflated;
        try
        {
            inflated = MessageDeflate.Inflate(payload, _settings.MaxMessageBytes);
        }
        catch (InflatedTooLargeException tooLarge)
        {
            throw new ProtocolViolation(CloseCodes.MessageTooBig,
                $"Compressed message inflates to at least {tooLarge.AtLeast} bytes, over the limit of {_settings.MaxMessageBytes} bytes");
        }
        catch (InvalidDataException)
        {
            throw new ProtocolViolation(CloseCodes.InvalidPayload, "Compressed message is not valid deflate data");
        }
        using (inflated)
            Dispatch(inflated.Span, type);
    }

    private void Dispatch(ReadOnlySpan<byte> payload, Opcode type)
    {
        if (type == Opcode.Binary)
        {
            Forward(RoomMessage.FromBinary(payload.ToArray()));
            return;
        }

        var text = DecodeUtf8(payload, "Text message is not valid UTF-8");
        if (_autoResponse is { } auto && text == auto.Pair.Request)
        {
            Enqueue(auto.Reply);
            Interlocked.Exchange(ref _lastAutoResponseTicks, DateTimeOffset.UtcNow.UtcTicks);
            _counters.AutoResponded();
            return;
        }
        Forward(RoomMessage.FromText(text));
    }

    private void Forward(RoomMessage message)
    {
        _counters.FrameIn();
        if (_unacknowledged is null)
        {
            _manager.Tell(new Inbound(_roomName, ConnectionId, message));
        }
        else if (!_unacknowledged.TrySend(_roomName, ConnectionId, message, _manager))
        {
            _log.LogWarning("Connection {ConnectionId} in room {Room}: {Limit} messages not yet confirmed by the room; closing with 1013",
                ConnectionId, _roomName, _settings.MaxUnacknowledgedMessages);
            Close(CloseCodes.TryAgainLater, "Room is not keeping up; reconnect later");
        }
    }

    /// <summary>
    /// Cluster mode: sends again the messages the room has not confirmed for <paramref name="after"/> (its node may
    /// have died with them); returns how many.
    /// </summary>
    public int RedeliverOverdue(long now, TimeSpan after) => _unacknowledged?.RedeliverOverdue(_manager, now, after) ?? 0;

    private static string DecodeUtf8(ReadOnlySpan<byte> bytes, string error)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new ProtocolViolation(CloseCodes.InvalidPayload, error);
        }
    }

    private void OnPeerClose(byte[] payload)
    {
        if (payload.Length == 0)
        {
            // No code to echo: answer with a close frame without a status code at once.
            if (Interlocked.CompareExchange(ref _phase, Closing, Open) == Open)
                QueueClose(CloseCodes.NoStatus, "");
            ReportClosed(CloseCodes.NoStatus, "", wasClean: true);
            return;
        }
        if (payload.Length == 1)
            throw new ProtocolViolation(CloseCodes.ProtocolError, "Close frame payload of 1 byte cannot hold a status code");
        var code = BinaryPrimitives.ReadUInt16BigEndian(payload);
        if (!CloseCodes.IsSendable(code))
            throw new ProtocolViolation(CloseCodes.ProtocolError, $"Close code {code} is not a valid code to receive");
        var reason = DecodeUtf8(payload.AsSpan(2), "Close reason is not valid UTF-8");

        _peerCloseCode = code;
        // Reported either way: the peer started the close (the room answers it), or answered ours.
        ReportClosed(code, reason, wasClean: true);
        if (Interlocked.CompareExchange(ref _phase, PeerClosed, Open) == Open)
        {
            // If the room never answers (it failed, or is far too slow to wake), answer for it.
            _ = Task.Delay(_settings.CloseHandshakeTimeout).ContinueWith(_ => Close(code, ""), TaskScheduler.Default);
        }
    }

    /// <summary>A protocol error or broken limit: tell the room, close with <paramref name="code"/>.</summary>
    private void Fail(int code, string reason)
    {
        if (Interlocked.CompareExchange(ref _phase, Closing, Open) != Open
            && Interlocked.CompareExchange(ref _phase, Closing, PeerClosed) != PeerClosed)
        {
            return;
        }
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
        var phase = Volatile.Read(ref _phase);
        if (phase >= Closing || Interlocked.CompareExchange(ref _phase, Closing, phase) != phase)
            return; // already closing: frames for it no longer matter
        // The queue is full: the client does not read. Drop what is queued (memory stays bounded), tell the room,
        // and queue a 1008 close in the freed space; if the client never reads that either, the close handshake
        // timeout drops the connection.
        var reason = $"Slow consumer: {_settings.OutboundQueueFrames} frames queued";
        _counters.SlowConsumerClosed();
        _log.LogWarning("Connection {ConnectionId} in room {Room}: outbound queue of {Frames} frames is full; closing the slow consumer with 1008",
            ConnectionId, _roomName, _settings.OutboundQueueFrames);
        while (_outbound.Reader.TryRead(out _))
        {
        }
        ReportClosed(CloseCodes.PolicyViolation, reason, wasClean: false);
        QueueClose(CloseCodes.PolicyViolation, reason);
    }

    /// <summary>
    /// Writes the outbound queue to the socket until the queue is completed. What is queued while a send is in flight
    /// leaves with the next send (up to <see cref="MaxFramesPerWrite"/> frames), so a burst costs few system calls.
    /// An idle socket holds only this loop's wait on its queue: no buffer, and no batch (made per burst).
    /// </summary>
    private async Task WriteLoopAsync()
    {
        try
        {
            while (await _outbound.Reader.WaitToReadAsync())
            {
                var batch = new List<OutboundItem>();
                while (batch.Count < MaxFramesPerWrite && _outbound.Reader.TryRead(out var item))
                    batch.Add(item);
                if (batch.Count > 0)
                    await WriteAsync(batch);
            }
        }
        catch (Exception error)
        {
            // Nothing could write to this socket any more: end it (the pump reports it to the room) rather than let
            // its queue fill up in silence.
            _log.LogError(error, "Connection {ConnectionId} in room {Room}: writing failed; dropping the connection", ConnectionId, _roomName);
            Finish();
        }
    }

    /// <summary>Writes a burst of queued frames with one send; nothing is written after a close frame.</summary>
    private async Task WriteAsync(List<OutboundItem> batch)
    {
        var closeAt = batch.FindIndex(item => item.IsClose);
        var count = closeAt < 0 ? batch.Count : closeAt + 1;
        var length = 0;
        for (var i = 0; i < count; i++)
        {
            if (Deflate)
                batch[i] = Compressed(batch[i]);
            length += FrameEncoder.FrameLength(batch[i].Payload.Length);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var written = 0;
            for (var i = 0; i < count; i++)
                written += FrameEncoder.Write(buffer.AsSpan(written), batch[i].Opcode, batch[i].Payload.Span, batch[i].Compressed);
            for (var sent = 0; sent < written;)
                sent += await _socket!.SendAsync(buffer.AsMemory(sent, written - sent), SocketFlags.None);
            _counters.FramesWritten(count, written);
            if (closeAt >= 0)
                _log.LogInformation("Connection {ConnectionId} in room {Room} closed with {Code}", ConnectionId, _roomName, batch[closeAt].CloseCode);
        }
        catch (Exception error) when (error is SocketException or ObjectDisposedException)
        {
            // The connection is gone; the receive pump reports it.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            if (closeAt >= 0)
            {
                _outbound.Writer.TryComplete();
                _closeSent.TrySetResult();
            }
        }
    }

    /// <summary>
    /// A data frame at or above the compression threshold, deflated (once for every socket that sends the same frame);
    /// anything else, or a payload that deflate would not shrink, as it is. Control frames are never compressed.
    /// </summary>
    private OutboundItem Compressed(OutboundItem item)
    {
        var compression = _settings.Compression;
        if (!item.IsData || item.Compressed || item.Payload.Length < compression.ThresholdBytes)
            return item;
        if (MessageDeflate.DeflateOnce(item.Payload, compression.Level) is not { } deflated)
            return item;
        _counters.FrameCompressed(item.Payload.Length, deflated.Length);
        return item with { Payload = deflated, Compressed = true };
    }

    /// <summary>Tells the room how the socket ended: once, and not during a single node's shutdown.</summary>
    private void ReportClosed(int code, string reason, bool wasClean)
    {
        if (_quietShutdown || Interlocked.Exchange(ref _reported, 1) == 1)
            return;
        // Recorded before the report, so a room that wakes for any reason and finds this socket ended closes
        // its session even if this report is lost with an incarnation that failed.
        _ended = new ChannelEnd(code, reason, wasClean);
        _manager.Tell(new Closed(_roomName, ConnectionId, code, reason, wasClean));
    }

    /// <summary>Drops the TCP connection and ends the outbound stream; safe to call more than once.</summary>
    private void Finish()
    {
        Interlocked.Exchange(ref _phase, Done);
        _outbound.Writer.TryComplete();
        _closeSent.TrySetResult();
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
